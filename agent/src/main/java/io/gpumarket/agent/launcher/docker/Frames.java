package io.gpumarket.agent.launcher.docker;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The Engine API's multiplexed stream (logs, and execs without a TTY): frames of an 8-byte header (stream:
 * 0 stdin, 1 stdout, 2 stderr; three zero bytes; big-endian length) and that many bytes.
 */
final class Frames {
    private Frames() {}

    /** Copies frames to {@code stdout} and {@code stderr} until the stream ends; each frame is flushed as it comes. */
    static void demux(InputStream in, OutputStream stdout, OutputStream stderr) throws IOException {
        DataInputStream data = new DataInputStream(in);
        byte[] header = new byte[8];
        byte[] buf = new byte[32 * 1024];
        while (true) {
            try {
                data.readFully(header);
            } catch (EOFException e) {
                return;
            }
            int stream = header[0];
            long left = ((header[4] & 0xffL) << 24)
                    | ((header[5] & 0xff) << 16)
                    | ((header[6] & 0xff) << 8)
                    | (header[7] & 0xff);
            OutputStream to = stream == 2 ? stderr : stdout;
            while (left > 0) {
                int n = data.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) return;
                to.write(buf, 0, n);
                left -= n;
            }
            to.flush();
        }
    }
}
