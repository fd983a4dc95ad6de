package triplicate.backend.sftp;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;

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
    private final int size;
    private final List<Channel> channels = new ArrayList<>();
    /** Channels being opened: they count against {@link #size}. Guarded by this. */
    private int opening;
    private boolean closed;
    private final Object sessionLock = new Object();
    private ClientSession session;

    ChannelPool(SftpConnector connector, int size) {
        this.connector = connector;
        this.size = size;
    }

    /** A usable channel, locked for the caller; opens one (and connects) if none is free and there is room. */
    Channel acquire() throws IOException {
        synchronized (this) {
            while (true) {
                if (closed) {
                    throw new IOException("the SFTP connection is closed");
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
        try {
            channel = new Channel(SftpClientFactory.instance().createSftpClient(session()));
            channel.lock.lock();
            return channel;
        } catch (IOException | RuntimeException e) {
            dropSessionIfDead();
            throw e;
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
