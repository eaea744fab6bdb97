package io.agentledger.cli;

/** The API said no (its problem's {@code code}), or could not be reached. */
final class ApiException extends RuntimeException {

    private final String code;
    private final int status;
    private final String body;

    ApiException(String code, int status, String detail, String body) {
        super(detail);
        this.code = code;
        this.status = status;
        this.body = body;
    }

    static ApiException local(String code, String detail) {
        return new ApiException(code, 0, detail, null);
    }

    String code() {
        return code;
    }

    int status() {
        return status;
    }

    /** The problem document as the server sent it; null when the failure was local. */
    String body() {
        return body;
    }
}
