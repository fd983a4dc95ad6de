package triplicate.backend.sftp;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import org.apache.sshd.agent.SshAgent;
import org.apache.sshd.agent.SshAgentFactory;
import org.apache.sshd.agent.SshAgentKeyConstraint;
import org.apache.sshd.agent.SshAgentServer;
import org.apache.sshd.agent.common.AbstractAgentProxy;
import org.apache.sshd.common.FactoryManager;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

/**
 * Talks to a running ssh-agent (OpenSSH's, GNOME Keyring's, KeePassXC's…) through the Unix socket named by
 * {@code SSH_AUTH_SOCK}, using the JDK's Unix domain sockets: keys protected by a passphrase, or kept on a hardware
 * token, can log in without Triplicate ever seeing them. MINA SSHD speaks the agent protocol; this class only
 * carries its messages. Agent forwarding is not offered.
 */
final class AgentSocket extends AbstractAgentProxy {
    /** Agent replies are small (a list of public keys, a signature); anything larger is refused. */
    private static final int MAX_REPLY = 256 * 1024;

    private final SocketChannel channel;

    private AgentSocket(SocketChannel channel) {
        super(null);
        this.channel = channel;
    }

    static AgentSocket connect(Path socket) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            channel.close();
            throw new IOException("cannot reach the ssh-agent at " + socket + " (SSH_AUTH_SOCK): " + e.getMessage(), e);
        }
        return new AgentSocket(channel);
    }

    /** Sends one framed request (length, type, body) and returns the reply without its length. */
    @Override
    protected synchronized Buffer request(Buffer buffer) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(buffer.array(), buffer.rpos(), buffer.available());
        while (out.hasRemaining()) {
            channel.write(out);
        }
        ByteBuffer length = ByteBuffer.allocate(4);
        readFully(length);
        int n = length.flip().getInt();
        if (n < 1 || n > MAX_REPLY) {
            throw new IOException("the ssh-agent sent a reply of " + n + " bytes; refused");
        }
        ByteBuffer reply = ByteBuffer.allocate(n);
        readFully(reply);
        return new ByteArrayBuffer(reply.array());
    }

    private void readFully(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new EOFException("the ssh-agent closed the connection");
            }
        }
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() throws IOException {
        try {
            super.close();
        } finally {
            channel.close();
        }
    }

    /** An agent that holds no keys. */
    private static final class NoKeys implements SshAgent {
        @Override
        public Iterable<? extends Map.Entry<PublicKey, String>> getIdentities() {
            return List.of();
        }

        @Override
        public Map.Entry<String, byte[]> sign(SessionContext session, PublicKey key, String algo, byte[] data)
                throws IOException {
            throw new IOException("no ssh-agent");
        }

        @Override
        public void addIdentity(KeyPair key, String comment, SshAgentKeyConstraint... constraints) throws IOException {
            throw new IOException("no ssh-agent");
        }

        @Override
        public void removeIdentity(PublicKey key) throws IOException {
            throw new IOException("no ssh-agent");
        }

        @Override
        public void removeAllIdentities() throws IOException {
            throw new IOException("no ssh-agent");
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    /** Gives each SSH session its own connection to the agent. */
    static final class Factory implements SshAgentFactory {
        private final Path socket;

        Factory(Path socket) {
            this.socket = socket;
        }

        @Override
        public List<ChannelFactory> getChannelForwardingFactories(FactoryManager manager) {
            return List.of();
        }

        /** The agent, or one without keys if it cannot be reached (a stale SSH_AUTH_SOCK must not block key files). */
        @Override
        public SshAgent createClient(Session session, FactoryManager manager) {
            try {
                return connect(socket);
            } catch (IOException e) {
                return new NoKeys();
            }
        }

        @Override
        public SshAgentServer createServer(ConnectionService service) {
            throw new UnsupportedOperationException("agent forwarding is not offered");
        }
    }
}
