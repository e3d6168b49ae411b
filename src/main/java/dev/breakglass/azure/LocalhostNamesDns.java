package dev.breakglass.azure;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import okhttp3.Dns;

/**
 * Resolves {@code *.localhost} to the loopback address, as RFC 6761 §6.3 says every resolver
 * should (glibc does not). This lets a local Key Vault endpoint live at {@code fake.vault.localhost},
 * so the Key Vault SDK's challenge check (the vault host must end with "." + the challenge's
 * resource host) passes with verification on. Every other name goes to the system resolver.
 */
final class LocalhostNamesDns implements Dns {

    @Override
    public List<InetAddress> lookup(String hostname) throws UnknownHostException {
        if (hostname.toLowerCase(Locale.ROOT).endsWith(".localhost")) {
            return List.of(InetAddress.getLoopbackAddress());
        }
        return Dns.SYSTEM.lookup(hostname);
    }
}
