package dev.breakglass.reconcile;

import java.util.List;
import java.util.Optional;

/** What an in-process apply did: one entry per unit of work reached, in order. */
public record ApplyReport(List<Entry> entries) {

    public ApplyReport {
        entries = List.copyOf(entries);
    }

    /** True when every unit of work ended {@link Outcome.Done}. */
    public boolean succeeded() {
        return entries.stream().allMatch(entry -> entry.outcome() instanceof Outcome.Done);
    }

    /** The terminal outcome that stopped the run, if any. */
    public Optional<Entry> failure() {
        return entries.stream().filter(entry -> !(entry.outcome() instanceof Outcome.Done)).findFirst();
    }

    public record Entry(StepKey key, Outcome outcome) {
    }
}
