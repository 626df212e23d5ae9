package dev.vsock.boot.bench;

/**
 * A server in a process of its own, vsock only, so that its memory can be read without the
 * load generator's: prints {@code PORT <vsock port>} and serves until its standard input closes.
 */
public final class IdleServer {

	private IdleServer() {
	}

	public static void main(String[] args) throws Exception {
		BenchServer server = BenchServer.start(args[0], false);
		System.out.println("PORT " + server.vsockPort());
		System.out.flush();
		while (System.in.read() >= 0) {
			// The parent keeps the pipe open for as long as this server is needed.
		}
		server.stop();
		System.exit(0);
	}

}
