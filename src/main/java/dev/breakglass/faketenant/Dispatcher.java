package dev.breakglass.faketenant;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The one handler behind the server: parse, pick the service, then latency, authentication, faults, and the
 * service's answer under the state lock. Every request ends in the journal.
 */
final class Dispatcher implements HttpHandler {
    private static final System.Logger LOG = System.getLogger(Dispatcher.class.getName());

    private final List<Service> services;
    private final String bearer;
    private final Settings settings;
    private final Faults faults;
    private final Journal journal;
    private final TenantState state;

    Dispatcher(List<Service> services, String token, Settings settings, Faults faults, Journal journal, TenantState state) {
        this.services = services;
        this.bearer = "Bearer " + token;
        this.settings = settings;
        this.faults = faults;
        this.journal = journal;
        this.state = state;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Call call = new Call(exchange.getRequestMethod(), exchange.getRequestURI(),
                    exchange.getRequestHeaders().getFirst("Authorization"), body);
            Service service = services.stream().filter(s -> s.owns(call)).findFirst().orElseThrow();
            sleep(settings.latency);
            if (call.authorization == null || !call.authorization.equals(bearer)) {
                send(exchange, call, service, service.unauthorized(call));
                return;
            }
            Optional<Faults.Fault> fault = faults.take(call);
            if (fault.isEmpty()) {
                send(exchange, call, service, perform(service, call));
                return;
            }
            Faults.Fault f = fault.get();
            switch (f.kind()) {
                case DELAY:
                    sleep(f.delay());
                    send(exchange, call, service, perform(service, call));
                    break;
                case THROTTLE:
                    Reply throttled = service.error(service.throttled());
                    if (f.retryAfter() != null) {
                        throttled.header("Retry-After", f.retryAfter());
                    }
                    send(exchange, call, service, throttled);
                    break;
                case ERROR:
                    ApiError error = f.code() == null ? service.serverError(f.status()) : ApiError.of(f.status(), f.code(), f.message());
                    send(exchange, call, service, service.error(error));
                    break;
                case LOST_RESPONSE:
                    perform(service, call);
                    send(exchange, call, service, service.error(service.serverError(f.status())));
                    break;
                case LOST_RESPONSE_RESET:
                    perform(service, call);
                    journal.record(call, 0);
                    break;
                case RESET:
                    journal.record(call, 0);
                    break;
                default:
                    throw new IllegalStateException(f.kind().name());
            }
            // Closing the exchange before any response header is sent drops the connection (try-with-resources).
        }
    }

    private Reply perform(Service service, Call call) {
        synchronized (state.lock) {
            try {
                return service.handle(call);
            } catch (ApiError e) {
                return service.error(e);
            } catch (RuntimeException e) {
                // A bug in the fake must still reach the client as an answer, not as a dropped connection.
                LOG.log(System.Logger.Level.ERROR, "fake tenant failed on " + call.method + " " + call.path, e);
                return service.error(service.serverError(500));
            }
        }
    }

    private void send(HttpExchange exchange, Call call, Service service, Reply reply) throws IOException {
        service.decorate(reply);
        reply.headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        journal.record(call, reply.status);
        if (reply.body.length == 0) {
            exchange.sendResponseHeaders(reply.status, -1);
            return;
        }
        exchange.sendResponseHeaders(reply.status, reply.body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(reply.body);
        }
    }

    private static void sleep(Duration duration) {
        if (duration.isZero()) {
            return;
        }
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
