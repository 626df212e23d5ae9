package dev.vsock.boot.sample;

import dev.vsock.boot.client.VsockClients;

/**
 * Calls the guest agent over vsock with the starter's own client: what a host-side Java program
 * does to reach an agent in its guest.
 */
public final class AgentClient {

	private AgentClient() {
	}

	/**
	 * Prints the agent's status.
	 * @param args the CID and the port of the agent, by default 1 (this machine) and 5000
	 */
	public static void main(String[] args) {
		long cid = (args.length > 0) ? Long.parseLong(args[0]) : 1;
		long port = (args.length > 1) ? Long.parseLong(args[1]) : 5000;
		String status = VsockClients.restClient(cid, port).get().uri("/status").retrieve().body(String.class);
		System.out.println("GET vsock://" + cid + ":" + port + "/status -> " + status);
	}

}
