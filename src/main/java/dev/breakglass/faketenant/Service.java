package dev.breakglass.faketenant;

/**
 * One API the fake speaks on its single port. The dispatcher picks the first service that
 * {@link #owns owns} a path; each renders its own error envelope and authentication challenge.
 * ARM joins as another implementation owning {@code /subscriptions/…} and {@code /providers/…}.
 */
interface Service {
    boolean owns(Call call);

    /** Answers a request that passed authentication and fault injection; throws {@link ApiError} for errors. */
    Reply handle(Call call);

    /** The error envelope of this API. */
    Reply error(ApiError error);

    /** The answer to a request without a valid bearer token. */
    Reply unauthorized(Call call);

    /** Headers this API puts on every response (content type, request id …). */
    void decorate(Reply reply);

    /** This API's 429 error (the Retry-After header is the fault's business). */
    ApiError throttled();

    /** This API's error for a 5xx status. */
    ApiError serverError(int status);
}
