package dev.nano.server;

import io.quarkus.vertx.http.runtime.CertificateConfig;
import io.quarkus.vertx.http.runtime.ProxyConfig;
import io.quarkus.vertx.http.runtime.ServerSslConfig;
import io.quarkus.vertx.http.runtime.VertxHttpConfig;
import io.quarkus.vertx.http.runtime.VertxHttpConfig.InsecureRequests;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyStoreOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code quarkus.http.*} settings NANO applies to the apps' port, which its own Vert.x
 * servers serve ({@link AppServer}): TLS from {@code quarkus.http.ssl.certificate.*} (PEM files
 * or a key store), {@code quarkus.http.insecure-requests}, HTTP/2 (h2c, and ALPN with TLS),
 * the PROXY protocol and forwarding headers ({@code quarkus.http.proxy.*}). A setting Quarkus
 * would honour on its own router but NANO does not stops start-up naming its key, rather than
 * silently not applying.
 */
final class AppPortSettings {

    private AppPortSettings() {
    }

    /** The keys that are set but would not apply to the apps' port; empty when all is well. */
    static List<String> unsupported(VertxHttpConfig http) {
        List<String> keys = new ArrayList<>();
        if (http.cors().enabled()) {
            keys.add("quarkus.http.cors.enabled (apps answer CORS themselves: set the headers in the app's Response)");
        }
        if (http.accessLog().enabled()) {
            keys.add("quarkus.http.access-log.enabled (use nano.access-log, which logs every app request)");
        }
        if (http.trafficShaping().enabled()) {
            keys.add("quarkus.http.traffic-shaping.enabled");
        }
        if (http.tlsConfigurationName().isPresent()) {
            keys.add("quarkus.http.tls-configuration-name (use quarkus.http.ssl.certificate.*)");
        }
        CertificateConfig certificate = http.ssl().certificate();
        if (certificate.credentialsProvider().isPresent()) {
            keys.add("quarkus.http.ssl.certificate.credentials-provider");
        }
        if (certificate.trustStoreFile().isPresent() || certificate.trustStoreFiles().isPresent()) {
            keys.add("quarkus.http.ssl.certificate.trust-store-file (client certificates are not supported)");
        }
        if (certificate.reloadPeriod().isPresent()) {
            keys.add("quarkus.http.ssl.certificate.reload-period");
        }
        ProxyConfig proxy = http.proxy();
        if (proxy.trustedProxies().isPresent()) {
            keys.add("quarkus.http.proxy.trusted-proxies (forwarding headers are trusted from every peer when on)");
        }
        if (proxy.enableForwardedHost()) {
            keys.add("quarkus.http.proxy.enable-forwarded-host");
        }
        if (proxy.enableForwardedPrefix()) {
            keys.add("quarkus.http.proxy.enable-forwarded-prefix");
        }
        if (proxy.enableTrustedProxyHeader()) {
            keys.add("quarkus.http.proxy.enable-trusted-proxy-header");
        }
        if (!http.header().isEmpty()) {
            keys.add("quarkus.http.header.* (apps set their own response headers)");
        }
        if (!http.filter().isEmpty()) {
            keys.add("quarkus.http.filter.*");
        }
        if (!http.sameSiteCookie().isEmpty()) {
            keys.add("quarkus.http.same-site-cookie.*");
        }
        if (http.domainSocketEnabled()) {
            keys.add("quarkus.http.domain-socket-enabled");
        }
        return keys;
    }

    /** Whether a certificate is configured, so the apps' port listens for HTTPS. */
    static boolean tlsConfigured(VertxHttpConfig http) {
        CertificateConfig certificate = http.ssl().certificate();
        return certificate.files().isPresent() || certificate.keyStoreFile().isPresent();
    }

    /** Whether plain HTTP is served next to HTTPS (else it is refused, or redirected). */
    static InsecureRequests insecureRequests(VertxHttpConfig http) {
        return http.insecureRequests().orElse(InsecureRequests.ENABLED);
    }

    /** Options for the HTTPS listener: the plain options plus the certificate, protocols and ALPN. */
    static HttpServerOptions https(HttpServerOptions plain, VertxHttpConfig http, String host, int port) {
        ServerSslConfig ssl = http.ssl();
        CertificateConfig certificate = ssl.certificate();
        HttpServerOptions options = new HttpServerOptions(plain).setHost(host).setPort(port).setSsl(true)
                .setUseAlpn(http.http2()).setSni(ssl.sni());
        if (certificate.files().isPresent()) {
            List<Path> certs = certificate.files().get();
            List<Path> keys = certificate.keyFiles().orElseThrow(() -> new IllegalStateException(
                    "quarkus.http.ssl.certificate.files is set without quarkus.http.ssl.certificate.key-files"));
            PemKeyCertOptions pem = new PemKeyCertOptions();
            certs.forEach(path -> pem.addCertPath(path.toString()));
            keys.forEach(path -> pem.addKeyPath(path.toString()));
            options.setKeyCertOptions(pem);
        } else {
            Path file = certificate.keyStoreFile().orElseThrow();
            String type = certificate.keyStoreFileType().orElseGet(() -> {
                String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
                return name.endsWith(".jks") ? "JKS" : "PKCS12";
            });
            KeyStoreOptions store = new KeyStoreOptions().setType(type.toUpperCase(Locale.ROOT))
                    .setPath(file.toString())
                    .setPassword(certificate.keyStorePassword().orElse(null));
            certificate.keyStoreAlias().or(certificate::keyStoreKeyAlias).ifPresent(store::setAlias);
            certificate.keyStoreAliasPassword().or(certificate::keyStoreKeyPassword).ifPresent(store::setAliasPassword);
            certificate.keyStoreProvider().ifPresent(store::setProvider);
            options.setKeyCertOptions(store);
        }
        options.getEnabledSecureTransportProtocols().clear();
        ssl.protocols().forEach(options::addEnabledSecureTransportProtocol);
        ssl.cipherSuites().ifPresent(suites -> suites.forEach(options::addEnabledCipherSuite));
        return options;
    }
}
