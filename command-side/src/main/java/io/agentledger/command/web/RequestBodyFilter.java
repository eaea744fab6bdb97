package io.agentledger.command.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentledger.api.common.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * Holds every request body to a limit and answers 413 above it, whether or not the client declared a length: 1 MiB,
 * and 16 MiB for the plan imports ({@code POST /v1/projects/{projectId}/imports/{format}}).
 * <p>
 * An ordinary body is read here once, and later filters (idempotency) and the message converters read that copy.
 * An import body is not read here: the import parses the stream as it arrives, counted against the limit, so a
 * large plan is never held as bytes and then again as text. Only a filter that needs the whole body first
 * ({@link #bodyOf}, for an {@code Idempotency-Key}) makes it buffer, once.
 */
public class RequestBodyFilter extends OncePerRequestFilter {

    private static final Pattern IMPORT = Pattern.compile("/v1/projects/[^/]+/imports/[^/]+");

    private final ObjectMapper mapper;
    private final int maxBytes;
    private final int maxImportBytes;

    public RequestBodyFilter(ObjectMapper mapper, int maxBytes, int maxImportBytes) {
        this.mapper = mapper;
        this.maxBytes = maxBytes;
        this.maxImportBytes = maxImportBytes;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean streamed = isImport(request);
        int limit = streamed ? maxImportBytes : maxBytes;
        if (request.getContentLengthLong() > limit) {
            tooLarge(response, limit);
            return;
        }
        if (!streamed) {
            byte[] body = read(request, limit);
            if (body == null) {
                tooLarge(response, limit);
                return;
            }
            chain.doFilter(new LimitedBodyRequest(request, limit, body), response);
            return;
        }
        try {
            chain.doFilter(new LimitedBodyRequest(request, limit, null), response);
        } catch (IOException | ServletException | RuntimeException e) {
            // a filter that buffered the body for itself (idempotency) found it too large
            if (!causedByTooLarge(e) || response.isCommitted()) {
                throw e;
            }
            response.reset();
            tooLarge(response, limit);
        }
    }

    static boolean isImport(HttpServletRequest request) {
        return "POST".equals(request.getMethod())
                && IMPORT.matcher(request.getRequestURI().substring(request.getContextPath().length())).matches();
    }

    static String detail(int maxBytes) {
        return "Request bodies are limited to " + maxBytes + " bytes";
    }

    private void tooLarge(HttpServletResponse response, int limit) throws IOException {
        // the rest of the body is not read: the connection cannot carry another request
        response.setHeader(HttpHeaders.CONNECTION, "close");
        Problems.write(response, mapper, ErrorCode.PAYLOAD_TOO_LARGE, detail(limit));
    }

    private static boolean causedByTooLarge(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof PayloadTooLargeException) {
                return true;
            }
        }
        return false;
    }

    /** The body in one array of its own size, or null when it is longer than {@code maxBytes}. */
    private static byte[] read(HttpServletRequest request, int maxBytes) throws IOException {
        long declared = request.getContentLengthLong();
        InputStream in = request.getInputStream();
        if (declared < 0) {
            byte[] body = in.readNBytes(maxBytes + 1);
            return body.length > maxBytes ? null : body;
        }
        // the container delivers no more than the declared length (checked against the limit before)
        byte[] body = new byte[(int) declared];
        int read = in.readNBytes(body, 0, body.length);
        return read == body.length ? body : Arrays.copyOf(body, read);
    }

    /**
     * The whole body of a request: the copy this filter buffered, buffered now for an import (whose parser then
     * reads that copy), or read from a request this filter did not see.
     *
     * @throws PayloadTooLargeException when an import body turns out longer than its limit
     */
    public static byte[] bodyOf(HttpServletRequest request) throws IOException {
        if (request instanceof LimitedBodyRequest limited) {
            return limited.body();
        }
        if (request instanceof HttpServletRequestWrapper wrapper
                && wrapper.getRequest() instanceof HttpServletRequest inner) {
            return bodyOf(inner);
        }
        return request.getInputStream().readAllBytes();
    }

    /** A request whose body is buffered (within its limit), or streamed and counted against the limit. */
    static final class LimitedBodyRequest extends HttpServletRequestWrapper {

        private final int maxBytes;
        private byte[] body;
        private boolean streaming;

        LimitedBodyRequest(HttpServletRequest request, int maxBytes, byte[] body) {
            super(request);
            this.maxBytes = maxBytes;
            this.body = body;
        }

        byte[] body() throws IOException {
            if (body == null) {
                if (streaming) {
                    throw new IllegalStateException("The body is already being read as a stream");
                }
                byte[] read = read((HttpServletRequest) getRequest(), maxBytes);
                if (read == null) {
                    throw new PayloadTooLargeException(maxBytes);
                }
                body = read;
            }
            return body;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (body != null) {
                return new ArrayInputStream(new ByteArrayInputStream(body));
            }
            streaming = true;
            return new CountingInputStream(super.getInputStream(), maxBytes);
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }

        @Override
        public int getContentLength() {
            return body == null ? super.getContentLength() : body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body == null ? super.getContentLengthLong() : body.length;
        }
    }

    private static final class ArrayInputStream extends ServletInputStream {

        private final InputStream in;

        ArrayInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public boolean isFinished() {
            try {
                return in.available() == 0;
            } catch (IOException e) {
                return true;
            }
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
            throw new UnsupportedOperationException("synchronous reads only");
        }

        @Override
        public int read() throws IOException {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return in.read(b, off, len);
        }
    }

    /** The container's stream, which fails once more than {@code maxBytes} have come through it. */
    private static final class CountingInputStream extends ServletInputStream {

        private final ServletInputStream in;
        private final int maxBytes;
        private long count;

        CountingInputStream(ServletInputStream in, int maxBytes) {
            this.in = in;
            this.maxBytes = maxBytes;
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            throw new UnsupportedOperationException("synchronous reads only");
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int read = in.read(b, off, len);
            if (read > 0) {
                counted(read);
            }
            return read;
        }

        private void counted(int read) throws PayloadTooLargeException {
            count += read;
            if (count > maxBytes) {
                throw new PayloadTooLargeException(maxBytes);
            }
        }
    }
}
