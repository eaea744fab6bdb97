package agentledger.faults;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;

/**
 * Fault injection for the packaged-jar tests, outside the application's own code: a request carrying
 * {@value #HEADER} runs to its end — every filter, its commands, its transaction committed — but its answer is held
 * in memory and never sent, so the test can kill the JVM exactly between the commit and the answer.
 */
public class HoldAnswerFilter extends OncePerRequestFilter {

    public static final String HEADER = "X-Fault-Hold-Answer";

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return request.getHeader(HEADER) == null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(request, new ContentCachingResponseWrapper(response));
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
