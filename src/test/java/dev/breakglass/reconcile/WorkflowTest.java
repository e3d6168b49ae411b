package dev.breakglass.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.breakglass.spec.BreakGlassSpec;
import dev.breakglass.spec.SpecLoader;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The in-process driver: prerequisites from declared dependencies (or every earlier step), units of work started as
 * soon as their prerequisites are done, dependency order kept, and no new unit after a terminal outcome. Concurrency
 * is shown with latches, never with timings.
 */
class WorkflowTest {

    private static final BreakGlassSpec SPEC = SpecLoader.load(Map.of(
            "BREAKGLASS_TENANT_ID", "72f988bf-86f1-41af-91ab-2d7cd011db47",
            "BREAKGLASS_KEY_VAULT_URI", "https://contoso-bg.vault.azure.net"));

    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    @Test
    void aStepThatNamesNoDependenciesWaitsForEveryEarlierStep() {
        Workflow workflow = workflow(new Fake("Tenant", Step.Scope.TENANT, null),
                new Fake("PerAccount", Step.Scope.ACCOUNT, null), new Fake("Last", Step.Scope.TENANT, null));

        assertThat(workflow.prerequisites(SPEC, new StepKey("PerAccount", "bg02")))
                .containsExactly(new StepKey("Tenant", null));
        assertThat(workflow.prerequisites(SPEC, new StepKey("Last", null))).containsExactly(new StepKey("Tenant", null),
                new StepKey("PerAccount", "bg01"), new StepKey("PerAccount", "bg02"));
        assertThat(workflow.longestChain(SPEC)).isEqualTo(3);
    }

    @Test
    void aStepThatNamesItsDependenciesWaitsForThemAloneTheSameAccountsForAnAccountStep() {
        Workflow workflow = workflow(new Fake("Monitoring", Step.Scope.TENANT, List.of()),
                new Fake("Secret", Step.Scope.ACCOUNT, List.of()),
                new Fake("User", Step.Scope.ACCOUNT, List.of("Secret")),
                new Fake("Group", Step.Scope.TENANT, List.of("User")));

        assertThat(workflow.prerequisites(SPEC, new StepKey("Secret", "bg01"))).isEmpty();
        assertThat(workflow.prerequisites(SPEC, new StepKey("User", "bg02"))).containsExactly(new StepKey("Secret", "bg02"));
        assertThat(workflow.prerequisites(SPEC, new StepKey("Group", null)))
                .containsExactly(new StepKey("User", "bg01"), new StepKey("User", "bg02"));
        assertThat(workflow.longestChain(SPEC)).isEqualTo(3);
    }

    @Test
    void aDependencyOnAStepDeclaredLaterOrUnknownIsRefused() {
        assertThatThrownBy(() -> workflow(new Fake("User", Step.Scope.ACCOUNT, List.of("Secret")),
                new Fake("Secret", Step.Scope.ACCOUNT, List.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("User depends on Secret");
    }

    @Test
    void independentUnitsAreObservedSideBySide() {
        // Each account's step waits, inside observe, until the other account's has started: only concurrency passes.
        CountDownLatch bothStarted = new CountDownLatch(2);
        Fake meeting = new Fake("Meeting", Step.Scope.ACCOUNT, List.of()) {
            @Override
            public Observation observe(StepContext context) {
                bothStarted.countDown();
                try {
                    return bothStarted.await(10, TimeUnit.SECONDS) ? super.observe(context)
                            : new Observation.Unknown("the other account never started");
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
        };

        List<Workflow.PlannedChange> plan = workflow(meeting).plan(SPEC, StepEvents.NONE);

        assertThat(plan).extracting(Workflow.PlannedChange::observed).allMatch(Observation.UpToDate.class::isInstance);
    }

    @Test
    void aUnitIsObservedOnlyAfterItsPrerequisitesAndResultsComeBackInDeclaredOrder() {
        Workflow workflow = workflow(new Fake("Monitoring", Step.Scope.TENANT, List.of()),
                new Fake("Secret", Step.Scope.ACCOUNT, List.of()),
                new Fake("User", Step.Scope.ACCOUNT, List.of("Secret")),
                new Fake("Group", Step.Scope.TENANT, List.of("User")));

        List<Workflow.PlannedChange> plan = workflow.plan(SPEC, StepEvents.NONE);

        assertThat(plan).extracting(change -> change.key().toString()).containsExactly(keysInDeclaredOrder(workflow));
        assertThat(log.indexOf("observed Secret bg01")).isLessThan(log.indexOf("observed User bg01"));
        assertThat(log.indexOf("observed Secret bg02")).isLessThan(log.indexOf("observed User bg02"));
        assertThat(log.indexOf("observed Group tenant"))
                .isGreaterThan(log.indexOf("observed User bg01")).isGreaterThan(log.indexOf("observed User bg02"));
    }

    @Test
    void afterATerminalOutcomeNoFurtherUnitStarts() {
        Fake failing = new Fake("Secret", Step.Scope.ACCOUNT, List.of()) {
            @Override
            public Observation observe(StepContext context) {
                return new Observation.Absent("no secret");
            }

            @Override
            public Outcome apply(StepContext context, Observation observed) {
                return new Outcome.Terminal("Forbidden", "cannot write the secret");
            }
        };
        Workflow workflow = workflow(failing, new Fake("User", Step.Scope.ACCOUNT, List.of("Secret")));

        ApplyReport report = workflow.apply(SPEC, Duration.ofMinutes(1), StepEvents.NONE);

        assertThat(report.succeeded()).isFalse();
        assertThat(report.failure()).map(entry -> entry.key().step()).contains("Secret");
        assertThat(report.entries()).extracting(entry -> entry.key().step()).doesNotContain("User");
        assertThat(log).noneMatch(line -> line.contains("User"));
    }

    @Test
    void afterAUnitWaitedTheUnitsThatStartLaterReadAfresh() {
        AtomicInteger reads = new AtomicInteger();
        Fake waitsOnce = new Fake("User", Step.Scope.TENANT, List.of()) {
            private final AtomicInteger attempts = new AtomicInteger();

            @Override
            public Observation observe(StepContext context) {
                int seen = context.reads().remember("user", reads::incrementAndGet);
                return attempts.get() == 0 ? new Observation.Absent("read " + seen) : new Observation.UpToDate("read " + seen);
            }

            @Override
            public Outcome apply(StepContext context, Observation observed) {
                attempts.incrementAndGet();
                return new Outcome.RequeueAfter(Duration.ZERO, "created, not readable yet");
            }
        };
        Fake dependent = new Fake("Role", Step.Scope.TENANT, List.of("User")) {
            @Override
            public Observation observe(StepContext context) {
                log.add("role saw read " + context.reads().remember("user", reads::incrementAndGet));
                return new Observation.UpToDate("role");
            }
        };

        ApplyReport report = workflow(waitsOnce, dependent).apply(SPEC, Duration.ofMinutes(1), StepEvents.NONE);

        assertThat(report.succeeded()).isTrue();
        assertThat(log).containsExactly("role saw read 2");
    }

    private String[] keysInDeclaredOrder(Workflow workflow) {
        return workflow.keys(SPEC).stream().map(StepKey::toString).toArray(String[]::new);
    }

    private Workflow workflow(Step... steps) {
        return new Workflow(List.of(steps), new StepRunner(duration -> { }, Backoff.DEFAULT, Duration.ofSeconds(1), 1,
                StepEvents.NONE), duration -> { }, Clock.systemUTC());
    }

    /** A step that logs its observation and is always up to date. */
    private class Fake implements Step {
        private final String name;
        private final Scope scope;
        private final List<String> dependsOn;

        Fake(String name, Scope scope, List<String> dependsOn) {
            this.name = name;
            this.scope = scope;
            this.dependsOn = dependsOn;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public StepInfo info() {
            return new StepInfo(scope, new Check("BG.9999", name + " is as desired"),
                    new Permissions(Set.of(), Set.of()), Optional.ofNullable(dependsOn));
        }

        @Override
        public Observation observe(StepContext context) {
            log.add("observed " + name + " " + context.target());
            return new Observation.UpToDate(name);
        }

        @Override
        public Outcome apply(StepContext context, Observation observed) {
            return new Outcome.Done(name);
        }
    }
}
