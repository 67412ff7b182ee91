package io.gpumarket.server.console;

/**
 * What every console page's frame shows: the title, which navigation entry is current, who is signed in (null on
 * the sign-in page), whether they may see the operator page, and the CSRF token its forms carry.
 */
public record Frame(String title, String nav, String who, boolean admin, String csrf) {
    public boolean signedIn() {
        return who != null;
    }
}
