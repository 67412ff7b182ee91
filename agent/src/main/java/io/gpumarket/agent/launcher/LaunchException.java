package io.gpumarket.agent.launcher;

/** A launcher could not do what was asked; the message is shown to the renter, so it says why in plain words. */
public class LaunchException extends Exception {
    public LaunchException(String message) {
        super(message);
    }

    public LaunchException(String message, Throwable cause) {
        super(message, cause);
    }
}
