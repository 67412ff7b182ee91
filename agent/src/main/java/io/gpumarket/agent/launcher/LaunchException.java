package io.gpumarket.agent.launcher;

/**
 * A launcher could not do what was asked; the message is shown to the renter, so it says why in plain words. By
 * default the host is at fault (the agent reports it with the exit, and it counts against the machine's
 * reliability); {@link #ofRequest} marks a failure of what the renter asked for (an image no registry serves, a
 * container the engine refuses for the image's sake), which does not.
 */
public class LaunchException extends Exception {
    private final boolean hostFault;

    public LaunchException(String message) {
        this(message, null, true);
    }

    public LaunchException(String message, Throwable cause) {
        this(message, cause, true);
    }

    private LaunchException(String message, Throwable cause, boolean hostFault) {
        super(message, cause);
        this.hostFault = hostFault;
    }

    /** A failure of the renter's request rather than of the host. */
    public static LaunchException ofRequest(String message) {
        return new LaunchException(message, null, false);
    }

    public boolean hostFault() {
        return hostFault;
    }
}
