package dev.breakglass.testing.reliability;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The TESTS.md case IDs a test covers. {@link LedgerListener} records every such test's result and
 * {@link Ledger} counters, and {@link ReliabilityReport} renders them into {@code docs/reliability.md}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Covers {

    /** Case IDs, e.g. {@code {"D2", "B2"}}. */
    String[] value();

    /** What the test proves, in one sentence; the humanised method name when empty. */
    String proves() default "";
}
