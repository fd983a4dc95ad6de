package triplicate.backend.sftp;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import triplicate.backend.TransientBackendException;

/**
 * Up to {@code size} SFTP channels over one SSH session, opened as needed. A channel serves one request (or one
 * save) at a time: {@link #acquire} hands out a free channel, locked, and {@link #release} frees it. An open read
 * stream keeps its file handle on one channel but locks it only while it reads ({@link #lock}), so any number of
 * streams can be open at once without tying up channels.
 *
 * <p>When the session dies (the server restarted, the network dropped), its channels stop being usable and are
 * dropped; the next {@link #acquire} connects a new session. Thread-safe.
 */
final class ChannelPool implements AutoCloseable {
    /** One SFTP channel and the lock that gives one thread at a time the right to use it. */
    static final class Channel {
        final SftpClient sftp;
        private final ReentrantLock lock = new ReentrantLock();
        private volatile boolean broken;

        Channel(SftpClient sftp) {
            this.sftp = sftp;
        }

        boolean usable() {
            return !broken && sftp.isOpen() && !sftp.isClosing() && sftp.getClientSession().isOpen();
        }

        /** Marks the channel unusable (a request failed in a way that leaves its state unknown) and closes it. */
        void markBroken() {
            broken = true;
            try {
                sftp.close();
            } catch (IOException | RuntimeException e) {
                // it is being dropped anyway
            }
        }
    }

    private final SftpConnector connector;
    private final String where;
    /** Most channels to open; lowered if the server refuses more. Guarded by this. */
    private int size;
    private final List<Channel> channels = new ArrayList<>();
    /** Channels being opened: they count against {@link #size}. Guarded by this. */
    private int opening;
    private boolean closed;
    private final Object sessionLock = new Object();
    private ClientSession session;

    ChannelPool(SftpConnector connector, int size, String where) {
        this.connector = connector;
        this.size = size;
        this.where = where;
    }

    /**
     * A usable channel, locked for the caller; opens one (and connects) if none is free and there is room. A server
     * that refuses another channel on a working connection (OpenSSH allows 10, some NAS boxes fewer) lowers the
     * limit to the channels already open. Fails with a {@link TransientBackendException} if the connection cannot be
     * made or breaks meanwhile, with an {@link SftpLoginException} if the host key or the login is refused.
     */
    Channel acquire() throws IOException {
        while (true) {
            synchronized (this) {
                while (true) {
                    if (closed) {
                        throw new IOException(where + ": the SFTP connection is closed");
                    }
                    channels.removeIf(c -> {
                        if (!c.usable() && !c.lock.isLocked()) {
                            c.markBroken();
                            return true;
                        }
                        return false;
                    });
                    for (Channel c : channels) {
                        if (c.usable() && c.lock.tryLock()) {
                            return c;
                        }
                    }
                    if (channels.size() + opening < size) {
                        opening++;
                        break;
                    }
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted while waiting for a free SFTP channel");
                    }
                }
            }
            Channel channel = null;
            ClientSession current = null;
            try {
                current = session();
                channel = new Channel(SftpClientFactory.instance().createSftpClient(current));
                channel.lock.lock();
                return channel;
            } catch (IOException | RuntimeException e) {
                if (current == null || !current.isOpen() || current.isClosing()) {
                    dropSessionIfDead();
                    if (e instanceof TransientBackendException || e instanceof SftpLoginException) {
                        throw e;
                    }
                    throw new TransientBackendException(where + ": the connection to the server was lost while opening"
                            + " an SFTP channel (" + SftpConnector.describe(e) + ")", e);
                }
                synchronized (this) {
                    long working = channels.stream().filter(Channel::usable).count();
                    if (working == 0) {
                        throw new IOException(where + ": the server refused to open an SFTP channel (is SFTP enabled"
                                + " for this user?): " + SftpConnector.describe(e), e);
                    }
                    size = (int) working; // the server's limit: make do with the channels open
                }
            } finally {
                synchronized (this) {
                    opening--;
                    if (channel != null) {
                        if (closed) {
                            channel.markBroken();
                        } else {
                            channels.add(channel);
                        }
                    }
                    notifyAll();
                }
            }
        }
    }

    /** Unlocks a channel taken with {@link #acquire} or {@link #lock}. */
    void release(Channel channel) {
        channel.lock.unlock();
        synchronized (this) {
            notifyAll();
        }
    }

    /** Locks {@code channel} (a stream's) for one request; waits while another thread uses it. */
    void lock(Channel channel) throws IOException {
        try {
            channel.lock.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for an SFTP channel");
        }
    }

    /** The current session, connecting a new one if there is none or it died. */
    private ClientSession session() throws IOException {
        synchronized (sessionLock) {
            if (session == null || !session.isOpen() || session.isClosing()) {
                if (session != null) {
                    session.close(true);
                }
                session = null;
                session = connector.connect();
            }
            return session;
        }
    }

    private void dropSessionIfDead() {
        synchronized (sessionLock) {
            if (session != null && (!session.isOpen() || session.isClosing())) {
                session.close(true);
                session = null;
            }
        }
    }

    /** Connects now if not yet connected (to report a wrong host key or login when the backend is opened). */
    void connect() throws IOException {
        session();
    }

    @Override
    public void close() {
        List<Channel> open;
        synchronized (this) {
            closed = true;
            open = new ArrayList<>(channels);
            channels.clear();
            notifyAll();
        }
        for (Channel c : open) {
            c.markBroken();
        }
        synchronized (sessionLock) {
            if (session != null) {
                session.close(true);
                session = null;
            }
        }
    }
}
