package dev.breakglass.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.faketenant.FakeTenant;
import dev.breakglass.faketenant.Journal;
import dev.breakglass.faketenant.TenantState;
import dev.breakglass.reconcile.Outcome;
import dev.breakglass.spec.Account;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The columns of a step's table test (STYLE.md item 9): a reason, what is {@link Given} in the fake
 * tenant, {@link When} the step runs, and what must {@link Then} hold: the outcome, the tenant's final
 * state and the journal's write counts. The journal is cleared between given and when, so a row's
 * checks see only what the step under test sent. A tenant-scoped step (one unit of work for the whole
 * tenant) plays with a {@code null} account; its rows may be written against the tenant alone with
 * {@link #tenantRow}.
 */
public final class StepTable {

    private StepTable() {
    }

    /** A table row: {@code (reason, given, when, then)}, the checks folded into one {@link Then}. */
    public static Arguments row(String reason, Given given, When when, Then... then) {
        return Arguments.of(reason, given, when, Then.all(then));
    }

    /**
     * A row of a tenant-scoped step written against the tenant alone: {@code given} arranges it, the step runs
     * {@link #untilItEnds()}, and {@code then} checks the tenant's final state and the last outcome.
     */
    public static Arguments tenantRow(String reason, Consumer<TestTenant> given, BiConsumer<TestTenant, Outcome> then) {
        return row(reason, world -> given.accept(world.tenant()), untilItEnds(),
                world -> then.accept(world.tenant(), world.outcome()));
    }

    /** D1, the row every tenant-scoped step has: already applied, so the step ends Done and writes nothing. */
    public static Arguments upToDateWritesNothing() {
        return row("up to date → zero writes", World::runUntilItEnds, untilItEnds(), done(), noWrites());
    }

    /** Plays one row against a fresh tenant for one step and account ({@code null} for a tenant-scoped step). */
    public static void play(TestTenant tenant, String step, String account, Given given, When when, Then then) {
        World world = new World(tenant, step, account);
        given.arrange(world);
        tenant.fake().journal().clear();
        when.act(world);
        then.check(world);
        passwordsNeverReachedAnOutcome(world);
    }

    /**
     * H1, in the one sink a step controls: its outcome messages never carry a stored password or Temporary Access
     * Pass, nor the pass the fake tenant issued to the user, of the row's account (of every account for a
     * tenant-scoped step).
     */
    private static void passwordsNeverReachedAnOutcome(World world) {
        List<String> secrets = new ArrayList<>();
        List<Account> accounts = world.account() == null ? world.tenant().spec().accounts()
                : List.of(world.tenant().spec().account(world.account()));
        for (Account account : accounts) {
            for (String name : List.of(account.secretName(), account.secretName() + "-tap")) {
                world.state().secretVersions(name).forEach(version -> secrets.add(version.value()));
            }
            world.state().user(account.upn(world.fake().initialDomain()))
                    .flatMap(user -> world.state().temporaryAccessPass(user.get("id").asText()))
                    .ifPresent(pass -> secrets.add(pass.value()));
        }
        for (String secret : secrets) {
            assertThat(world.outcomes()).as("outcomes").noneSatisfy(outcome ->
                    assertThat(outcome.toString()).contains(secret));
        }
    }

    /** Arranges the fake tenant before the step runs. */
    @FunctionalInterface
    public interface Given {
        void arrange(World world);

        default Given then(Given next) {
            return world -> {
                arrange(world);
                next.arrange(world);
            };
        }
    }

    /** Runs the step (or the whole workflow). */
    @FunctionalInterface
    public interface When {
        void act(World world);
    }

    /** Checks the outcome, the final state of the fake tenant or its journal. */
    @FunctionalInterface
    public interface Then {
        void check(World world);

        static Then all(Then... checks) {
            return world -> {
                for (Then check : checks) {
                    check.check(world);
                }
            };
        }
    }

    // ---- when

    public static When once() {
        return World::run;
    }

    public static When twice() {
        return world -> {
            world.run();
            world.run();
        };
    }

    /** Runs the step again after each {@link Outcome.RequeueAfter}, as a queue would, until it ends. */
    public static When untilItEnds() {
        return World::runUntilItEnds;
    }

    /**
     * Two workers get the same message (B1): the second starts {@code headStart} after the first, which the
     * row arranges to be held up at the write it races for.
     */
    public static When twoWorkersAtOnce(Duration headStart) {
        return world -> {
            CompletableFuture<Outcome> first = CompletableFuture.supplyAsync(world::run);
            World.sleep(headStart);
            world.run();
            first.join();
        };
    }

    /** Runs the whole workflow in-process; the outcome is the first one that was not Done, else the last. */
    public static When wholeApply() {
        return World::applyEverything;
    }

    // ---- then: outcomes

    public static Then done() {
        return world -> assertThat(world.outcome()).as("outcome").isInstanceOf(Outcome.Done.class);
    }

    public static Then doneSaying(String text) {
        return world -> assertThat(world.outcome()).as("outcome").isInstanceOfSatisfying(Outcome.Done.class,
                done -> assertThat(done.message()).contains(text));
    }

    public static Then terminal(String reason) {
        return world -> assertThat(world.outcome()).as("outcome").isInstanceOfSatisfying(Outcome.Terminal.class,
                terminal -> assertThat(terminal.reason()).isEqualTo(reason));
    }

    /** Every run of the row ended Done (for rows that run the step more than once, or concurrently). */
    public static Then allDone() {
        return world -> assertThat(world.outcomes()).as("outcomes").isNotEmpty()
                .allMatch(Outcome.Done.class::isInstance);
    }

    /** Every outcome of the row, waits included, was a wait or Done: nothing terminal, nothing thrown. */
    public static Then waitedThenDone() {
        return world -> {
            assertThat(world.outcomes()).as("outcomes").hasSizeGreaterThan(1);
            assertThat(world.outcomes().get(0)).as("first outcome").isInstanceOf(Outcome.RequeueAfter.class);
            assertThat(world.outcomes().subList(0, world.outcomes().size() - 1))
                    .allMatch(Outcome.RequeueAfter.class::isInstance);
            assertThat(world.outcome()).as("last outcome").isInstanceOf(Outcome.Done.class);
        };
    }

    // ---- then: journal

    public static Then noWrites() {
        return world -> assertThat(world.journal().writes()).as("writes").isEmpty();
    }

    /** How many requests with this method and a path matching the regex the step sent. */
    public static Then requests(String method, String pathRegex, int expected) {
        return world -> assertThat(world.journal().count(method, pathRegex))
                .as("%s %s requests", method, pathRegex).isEqualTo(expected);
    }

    /** How many requests with this method and path got a 2xx answer: "exactly one X" counts these. */
    public static Then succeeded(String method, String pathRegex, int expected) {
        return world -> assertThat(world.journal().entries().stream()
                .filter(entry -> method.equals("*") || entry.method().equalsIgnoreCase(method))
                .filter(entry -> entry.path().matches(pathRegex))
                .filter(entry -> entry.status() >= 200 && entry.status() < 300)
                .count()).as("%s %s requests answered 2xx", method, pathRegex).isEqualTo(expected);
    }

    /** The fault the row injected did fire: some request got this status. */
    public static Then answered(int status) {
        return world -> assertThat(world.journal().entries()).as("journal")
                .anySatisfy(entry -> assertThat(entry.status()).isEqualTo(status));
    }

    /**
     * Between each answer with {@code status} to {@code method path} and the next request to the same
     * path, at least {@code wait} passed (journal timestamps are taken when the answer is sent).
     */
    public static Then waitedAfter(int status, String method, String pathRegex, Duration wait) {
        return world -> {
            List<Journal.Entry> attempts = world.journal().entries().stream()
                    .filter(entry -> entry.method().equalsIgnoreCase(method) && entry.path().matches(pathRegex))
                    .toList();
            List<Duration> gaps = new ArrayList<>();
            for (int i = 0; i + 1 < attempts.size(); i++) {
                if (attempts.get(i).status() == status) {
                    gaps.add(Duration.between(attempts.get(i).timestamp(), attempts.get(i + 1).timestamp()));
                }
            }
            assertThat(gaps).as("gaps after each %d to %s %s", status, method, pathRegex).isNotEmpty()
                    .allSatisfy(gap -> assertThat(gap).isGreaterThanOrEqualTo(wait));
        };
    }

    /** One row's world: the tenant, the step under test, what the row remembered, and the outcomes seen. */
    public static final class World {
        private static final int MAX_RUNS = 40;
        private static final Duration LONGEST_TEST_WAIT = Duration.ofSeconds(2);

        private final TestTenant tenant;
        private final String step;
        private final String account;
        private final Map<String, Object> remembered = new HashMap<>();
        private final List<Outcome> outcomes = new CopyOnWriteArrayList<>();

        World(TestTenant tenant, String step, String account) {
            this.tenant = tenant;
            this.step = step;
            this.account = account;
        }

        public TestTenant tenant() {
            return tenant;
        }

        public FakeTenant fake() {
            return tenant.fake();
        }

        public TenantState state() {
            return tenant.fake().state();
        }

        public Journal journal() {
            return tenant.fake().journal();
        }

        public String step() {
            return step;
        }

        public String account() {
            return account;
        }

        /** The account's UPN on the fake tenant's initial domain. */
        public String upn() {
            return tenant.spec().account(account).upn(tenant.fake().initialDomain());
        }

        public String secretName() {
            return tenant.spec().account(account).secretName();
        }

        /** Applies every unit of work before the step under test, so that its prerequisites hold. */
        public void prerequisites() {
            tenant.applyBefore(step);
        }

        /** Runs the step once (observe → apply when needed); safe to call from several threads at once. */
        public Outcome run() {
            Outcome outcome = tenant.run(step, account);
            outcomes.add(outcome);
            return outcome;
        }

        public Outcome runUntilItEnds() {
            Outcome outcome = run();
            for (int runs = 1; runs < MAX_RUNS && outcome instanceof Outcome.RequeueAfter requeue; runs++) {
                sleep(requeue.delay().compareTo(LONGEST_TEST_WAIT) > 0 ? LONGEST_TEST_WAIT : requeue.delay());
                outcome = run();
            }
            return outcome;
        }

        public Outcome applyEverything() {
            var report = tenant.apply();
            Outcome outcome = report.failure().or(() -> report.entries().stream().reduce((a, b) -> b))
                    .map(entry -> entry.outcome()).orElseThrow();
            outcomes.add(outcome);
            return outcome;
        }

        /** The last outcome. */
        public Outcome outcome() {
            assertThat(outcomes).as("outcomes").isNotEmpty();
            return outcomes.get(outcomes.size() - 1);
        }

        public List<Outcome> outcomes() {
            return List.copyOf(outcomes);
        }

        public void remember(String key, Object value) {
            remembered.put(key, value);
        }

        @SuppressWarnings("unchecked")
        public <T> T remembered(String key) {
            assertThat(remembered).as("remembered values").containsKey(key);
            return (T) remembered.get(key);
        }

        private static void sleep(Duration duration) {
            try {
                Thread.sleep(duration.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
