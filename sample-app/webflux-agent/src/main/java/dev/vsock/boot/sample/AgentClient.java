package dev.vsock.boot.sample;

import java.util.concurrent.TimeUnit;

import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.netty.channel.EventLoopGroup;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.client.VsockClients;
import dev.vsock.boot.grpc.VsockGrpcChannels;
import dev.vsock.boot.sample.grpc.AgentGrpc;
import dev.vsock.boot.sample.grpc.StatusReply;
import dev.vsock.boot.sample.grpc.StatusRequest;

/**
 * Calls the guest agent over vsock with the starter's own clients, HTTP and gRPC: what a host-side
 * Java program does to reach an agent in its guest.
 */
public final class AgentClient {

	private AgentClient() {
	}

	/**
	 * Prints the agent's status, over HTTP and over gRPC.
	 * @param args the CID of the agent, its HTTP port and its gRPC port, by default 1 (this
	 * machine), 5000 and 5200
	 * @throws InterruptedException if interrupted while the channel closes
	 */
	public static void main(String[] args) throws InterruptedException {
		long cid = (args.length > 0) ? Long.parseLong(args[0]) : 1;
		long port = (args.length > 1) ? Long.parseLong(args[1]) : 5000;
		long grpcPort = (args.length > 2) ? Long.parseLong(args[2]) : 5200;
		String status = VsockClients.restClient(cid, port).get().uri("/status").retrieve().body(String.class);
		System.out.println("GET vsock://" + cid + ":" + port + "/status -> " + status);
		EventLoopGroup loops = VsockGrpcChannels.newEventLoopGroup();
		ManagedChannel channel = VsockGrpcChannels
			.forAddress(VsockAddress.of(cid, grpcPort), InsecureChannelCredentials.create(), loops)
			.build();
		try {
			StatusReply reply = AgentGrpc.newBlockingStub(channel).status(StatusRequest.getDefaultInstance());
			System.out.println("gRPC vsock.sample.agent.Agent/Status at vsock://" + cid + ":" + grpcPort + " -> agent="
					+ reply.getAgent() + " uptimeSeconds=" + reply.getUptimeSeconds() + " callerCid="
					+ reply.getCallerCid());
		}
		finally {
			channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
			loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
		}
	}

}
