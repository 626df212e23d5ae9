package dev.vsock.boot.bench;

/**
 * A server in a process of its own, so that its memory can be read without the load generator's:
 * arguments: the server kind and {@code vsock} (vsock only) or {@code tcp} (TCP beside vsock);
 * prints {@code PORT <port>} of that transport and serves until its standard input closes.
 */
public final class IdleServer {

	private IdleServer() {
	}

	public static void main(String[] args) throws Exception {
		boolean tcp = args.length > 1 && "tcp".equals(args[1]);
		BenchServer server = BenchServer.start(args[0], tcp);
		System.out.println("PORT " + (tcp ? server.tcpPort() : server.vsockPort()));
		System.out.flush();
		while (System.in.read() >= 0) {
			// The parent keeps the pipe open for as long as this server is needed.
		}
		server.stop();
		System.exit(0);
	}

}
