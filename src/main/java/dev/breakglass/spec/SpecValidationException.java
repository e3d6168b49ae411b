package dev.breakglass.spec;

import java.util.List;

/** The configuration breaks one or more rules; each problem names the setting and the rule. */
public final class SpecValidationException extends RuntimeException {

    private final List<String> problems;

    public SpecValidationException(List<String> problems) {
        super("invalid breakglass configuration: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
