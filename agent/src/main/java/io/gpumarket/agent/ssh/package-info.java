/**
 * The SSH front door: one Apache MINA SSHD listener per instance
 * ({@link io.gpumarket.agent.ssh.SshFrontDoor}), public keys only, one persistent Ed25519 host key for all of
 * them. Sessions never touch the host's view of the file system: exec runs {@code bash -c} inside the instance,
 * the shell is {@code bash -l} (with a pseudo-terminal when asked), and SFTP is the instance's own
 * {@code sftp-server}, so scp (both modes), sftp and rsync behave exactly as against an OpenSSH server there.
 */
package io.gpumarket.agent.ssh;
