/**
 * The {@code rclone:} backend: vaults on the seventy-odd services rclone reaches (Google Drive, Dropbox, OneDrive,
 * pCloud, MEGA, …), through an {@code rclone rcd} process each backend starts for itself and calls over rclone's
 * remote control API on loopback. Knows the {@link triplicate.backend.Backend} contract, rclone's remote control calls
 * and how to keep the process running; nothing of packs, snapshots or photos, and nothing of the services themselves,
 * which are rclone's business. See docs/backends/rclone.md.
 */
package triplicate.backend.rclone;
