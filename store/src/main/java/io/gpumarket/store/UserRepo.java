package io.gpumarket.store;

import io.gpumarket.core.account.User;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

public interface UserRepo {
    /** @throws DuplicateException when the email (case-insensitive) or username is taken */
    User create(String email, String username, boolean admin, Instant now);

    Optional<User> find(long id);

    Optional<User> findByEmail(String email);

    List<User> all();

    long count();
}
