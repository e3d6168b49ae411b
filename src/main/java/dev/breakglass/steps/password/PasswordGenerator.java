package dev.breakglass.steps.password;

import java.security.SecureRandom;
import java.util.random.RandomGenerator;

/**
 * Generates emergency-account passwords: {@value #LENGTH} characters drawn uniformly from Entra's
 * allowed set (https://learn.microsoft.com/entra/identity/authentication/concept-sspr-policy#password-policies-that-only-apply-to-cloud-user-accounts),
 * with every character class present. {@link RandomGenerator#nextInt(int)} is unbiased (it rejects
 * rather than takes a modulo), and a draw missing a class is discarded whole rather than patched,
 * so every valid password is equally likely.
 */
public class PasswordGenerator {

    /** Entra allows 8 to 256; 64 random characters from 92 symbols is about 417 bits. */
    public static final int LENGTH = 64;
    static final String UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    static final String LOWER = "abcdefghijklmnopqrstuvwxyz";
    static final String DIGITS = "0123456789";
    /** Entra's symbols, less the space (easily lost when the password is copied). */
    static final String SYMBOLS = "@#$%^&*-_!+=[]{}|\\:',.?/`~\"();<>";
    static final String ALPHABET = UPPER + LOWER + DIGITS + SYMBOLS;

    private final RandomGenerator random;

    public PasswordGenerator() {
        this(new SecureRandom());
    }

    PasswordGenerator(RandomGenerator random) {
        this.random = random;
    }

    public String generate() {
        char[] password = new char[LENGTH];
        do {
            for (int i = 0; i < LENGTH; i++) {
                password[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
            }
        } while (!hasEveryClass(password));
        String result = new String(password);
        java.util.Arrays.fill(password, '\0');
        return result;
    }

    static boolean hasEveryClass(char[] password) {
        boolean upper = false;
        boolean lower = false;
        boolean digit = false;
        boolean symbol = false;
        for (char c : password) {
            upper |= UPPER.indexOf(c) >= 0;
            lower |= LOWER.indexOf(c) >= 0;
            digit |= DIGITS.indexOf(c) >= 0;
            symbol |= SYMBOLS.indexOf(c) >= 0;
        }
        return upper && lower && digit && symbol;
    }
}
