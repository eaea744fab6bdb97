package io.agentledger.command.auth;

import io.agentledger.api.common.ErrorCode;
import io.agentledger.command.DomainException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.util.Optional;
import java.util.OptionalLong;

@RestController
class AuthController {

    private final TokenService tokens;
    private final FailedLoginLimiter limiter;

    AuthController(TokenService tokens, FailedLoginLimiter limiter) {
        this.tokens = tokens;
        this.limiter = limiter;
    }

    @PostMapping("/v1/auth/token")
    ResponseEntity<TokenService.Tokens> token(@Valid @RequestBody TokenRequest request, HttpServletRequest http) {
        String address = http.getRemoteAddr();
        OptionalLong wait = limiter.retryAfterSeconds(address);
        if (wait.isPresent()) {
            throw new RateLimitedException(wait.getAsLong());
        }
        Optional<TokenService.Tokens> issued = switch (request.grantType()) {
            case "api_key" -> request.apiKey() == null ? Optional.empty() : tokens.exchangeApiKey(request.apiKey());
            case "refresh_token" -> request.refreshToken() == null ? Optional.empty()
                    : tokens.exchangeRefreshToken(request.refreshToken());
            default -> throw new IllegalStateException("validated above");
        };
        if (issued.isEmpty()) {
            limiter.failed(address);
            throw new DomainException(ErrorCode.UNAUTHENTICATED, "The key or token is not valid");
        }
        return ResponseEntity.ok().header("Cache-Control", "no-store").body(issued.get());
    }

    record TokenRequest(@NotBlank @Pattern(regexp = "api_key|refresh_token",
                                message = "must be api_key or refresh_token") String grantType,
                        @Size(max = 512) String apiKey,
                        @Size(max = 512) String refreshToken) {
    }
}
