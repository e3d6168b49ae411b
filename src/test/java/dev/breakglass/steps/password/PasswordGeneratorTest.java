package dev.breakglass.steps.password;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** K3: the generator's length, class and alphabet constraints, and that its choice is not biased. */
class PasswordGeneratorTest {

    @Property(tries = 2000)
    void everyPasswordHasTheLengthEveryClassAndOnlyAllowedCharacters(@ForAll long seed) {
        String password = new PasswordGenerator(new java.util.SplittableRandom(seed)).generate();

        assertThat(password).hasSize(PasswordGenerator.LENGTH);
        assertThat(PasswordGenerator.hasEveryClass(password.toCharArray())).isTrue();
        assertThat(password.chars()).allMatch(c -> PasswordGenerator.ALPHABET.indexOf(c) >= 0);
    }

    @Test
    void passwordsDoNotRepeat() {
        PasswordGenerator generator = new PasswordGenerator();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            assertThat(seen.add(generator.generate())).isTrue();
        }
    }

    @Test
    void characterFrequenciesPassAChiSquareTest() {
        PasswordGenerator generator = new PasswordGenerator(new SecureRandom());
        int alphabet = PasswordGenerator.ALPHABET.length();
        long[] counts = new long[alphabet];
        int samples = 20_000;
        for (int i = 0; i < samples; i++) {
            generator.generate().chars().forEach(c -> counts[PasswordGenerator.ALPHABET.indexOf(c)]++);
        }
        double expected = (double) samples * PasswordGenerator.LENGTH / alphabet;
        double chiSquare = 0;
        for (long count : counts) {
            chiSquare += (count - expected) * (count - expected) / expected;
        }
        // 91 degrees of freedom: the 99.99th percentile is about 150. Rejecting draws that miss a class
        // shifts frequencies by well under 0.1 %, far inside this bound.
        assertThat(chiSquare).isLessThan(150);
    }
}
