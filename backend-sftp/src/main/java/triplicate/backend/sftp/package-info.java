/**
 * Vaults on SSH file servers and NAS boxes ({@code sftp://}), through Apache MINA SSHD's SFTP client. Knows the
 * {@link triplicate.backend.Backend} contract and SSH; nothing of packs, snapshots or photos.
 */
package triplicate.backend.sftp;
