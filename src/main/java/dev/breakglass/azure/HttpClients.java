package dev.breakglass.azure;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;

/**
 * The one OkHttp configuration every client shares (Graph through Kiota, Key Vault and ARM through
 * azure-core's OkHttp client): timeouts, no silent re-sends, the call counter, {@code *.localhost}
 * resolution and TLS trust. Trust is the JVM's ({@code javax.net.ssl.trustStore}, as a corporate
 * proxy needs) plus, only when given, one extra certificate: the embedded fake tenant's.
 */
final class HttpClients {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);
    /**
     * How long an idle connection is kept for reuse. Servers close idle connections on their own schedule (the JDK
     * server behind the fake tenant after 30 s), and with re-sends off (below) the first request on a connection the
     * server has closed fails and waits out a backoff: the bench measured a converged apply at 4 s instead of 0.7 s
     * after a long Conditional Access phase left the other clients idle. A new TLS connection costs less than that.
     */
    private static final Duration IDLE_KEEP_ALIVE = Duration.ofSeconds(20);
    /** Enough for a run's widest point (the units of work side by side) per client. */
    private static final int MAX_IDLE_CONNECTIONS = 8;

    private HttpClients() {
    }

    static OkHttpClient.Builder configure(OkHttpClient.Builder builder, CallCounter counter,
            X509Certificate extraTrust) {
        // OkHttp re-sends a request whose connection dropped, POST and PUT included. A Key Vault PUT that
        // was performed before the drop then makes a second version, so StepRunner re-observes instead.
        builder.connectTimeout(CONNECT_TIMEOUT).readTimeout(CALL_TIMEOUT).writeTimeout(CALL_TIMEOUT)
                .retryOnConnectionFailure(false)
                .connectionPool(new ConnectionPool(MAX_IDLE_CONNECTIONS, IDLE_KEEP_ALIVE.toSeconds(), TimeUnit.SECONDS))
                .dns(new LocalhostNamesDns())
                .addInterceptor(counter);
        X509TrustManager trust = trustManager(extraTrust);
        return builder.sslSocketFactory(sslContext(trust).getSocketFactory(), trust);
    }

    /**
     * The JVM's trust, read now from {@code javax.net.ssl.trustStore} (or the JDK's cacerts), plus
     * {@code extra} when given.
     */
    private static X509TrustManager trustManager(X509Certificate extra) {
        try {
            if (extra == null) {
                return jvmDefault();
            }
            List<X509Certificate> accepted = new ArrayList<>(Arrays.asList(jvmDefault().getAcceptedIssuers()));
            accepted.add(extra);
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < accepted.size(); i++) {
                store.setCertificateEntry("trusted-" + i, accepted.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return onlyX509(factory.getTrustManagers());
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("building the TLS trust store", e);
        }
    }

    private static X509TrustManager jvmDefault() throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        return onlyX509(factory.getTrustManagers());
    }

    private static X509TrustManager onlyX509(TrustManager[] managers) {
        return Arrays.stream(managers).filter(X509TrustManager.class::isInstance).map(X509TrustManager.class::cast)
                .findFirst().orElseThrow(() -> new IllegalStateException("no X.509 trust manager"));
    }

    private static SSLContext sslContext(X509TrustManager trust) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trust}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("building the TLS context", e);
        }
    }
}
