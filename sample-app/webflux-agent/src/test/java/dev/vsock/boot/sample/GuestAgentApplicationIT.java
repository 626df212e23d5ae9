package dev.vsock.boot.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.netty.channel.EventLoopGroup;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.client.VsockClients;
import dev.vsock.boot.grpc.VsockGrpcChannels;
import dev.vsock.boot.sample.grpc.AgentGrpc;
import dev.vsock.boot.sample.grpc.StatusReply;
import dev.vsock.boot.sample.grpc.StatusRequest;
import dev.vsock.boot.sample.grpc.WatchRequest;
import dev.vsock.boot.test.junit.EnabledIfVsockTransport;
import dev.vsock.boot.transport.VsockTransport;
import dev.vsock.boot.web.LocalVsockPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample guest agent, as configured in its application.yml (vsock only) but on a port the
 * kernel picks, called over vsock loopback with the starter's own clients. Runs in the test
 * guest, like every *IT of the project.
 */
@EnabledIfVsockTransport(VsockTransport.LOOPBACK)
@SpringBootTest(webEnvironment = WebEnvironment.DEFINED_PORT, properties = { "server.vsock.port=0", "management.server.port=0", "management.server.vsock.port=0",
		"spring.grpc.server.vsock.port=0" })
class GuestAgentApplicationIT {

	@LocalVsockPort
	long port;

	@Value("${local.management.vsock.port}")
	long managementPort;

	@Value("${local.grpc.server.vsock.port}")
	long grpcPort;

	@Test
	void reportsItsStatusAndTheCallersCid() {
		Map<String, Object> status = VsockClients.restClient(1, this.port)
			.get()
			.uri("/status")
			.retrieve()
			.body(new ParameterizedTypeReference<Map<String, Object>>() {
			});
		assertThat(status).containsEntry("agent", "up").containsEntry("callerCid", 1);
	}

	@Test
	void streamsTheProgressOfATask() {
		List<String> progress = VsockClients.webClient(1, this.port)
			.post()
			.uri("/tasks/sync")
			.accept(MediaType.TEXT_EVENT_STREAM)
			.retrieve()
			.bodyToFlux(String.class)
			.collectList()
			.block(Duration.ofMinutes(1));
		assertThat(progress).containsExactly("sync 25%", "sync 50%", "sync 75%", "sync 100%", "sync done, run 1");
	}

	@Test
	void showsTheVsockHealthAndMetersOnTheManagementPortOnly() {
		String health = VsockClients.restClient(1, this.managementPort)
			.get()
			.uri("/actuator/health/vsock")
			.retrieve()
			.body(String.class);
		assertThat(health).contains("\"status\":\"UP\"").contains("\"state\":\"listening\"")
			.contains("\"allowedCids\":\"1,2\"");
		String active = VsockClients.restClient(1, this.managementPort)
			.get()
			.uri("/actuator/metrics/vsock.connections.active")
			.retrieve()
			.body(String.class);
		assertThat(active).contains("\"name\":\"vsock.connections.active\"");
		Integer onTheApplicationsPort = VsockClients.restClient(1, this.port)
			.get()
			.uri("/actuator/health")
			.exchange((request, response) -> response.getStatusCode().value());
		assertThat(onTheApplicationsPort).as("no actuator on the application's port").isEqualTo(404);
	}

	@Test
	void answersGrpcCallsOverVsockWithTheCallersCid() throws Exception {
		EventLoopGroup loops = VsockGrpcChannels.newEventLoopGroup();
		ManagedChannel channel = VsockGrpcChannels
			.forAddress(VsockAddress.of(VsockAddress.CID_LOCAL, this.grpcPort), InsecureChannelCredentials.create(), loops)
			.build();
		try {
			AgentGrpc.AgentBlockingStub agent = AgentGrpc.newBlockingStub(channel);
			StatusReply status = agent.status(StatusRequest.getDefaultInstance());
			assertThat(status.getAgent()).isEqualTo("up");
			assertThat(status.getCallerCid()).isEqualTo(1);
			List<Integer> ticks = new ArrayList<>();
			agent.watch(WatchRequest.newBuilder().setCount(3).setIntervalMillis(10).build())
				.forEachRemaining((tick) -> ticks.add(tick.getSequence()));
			assertThat(ticks).containsExactly(1, 2, 3);
		}
		finally {
			channel.shutdownNow().awaitTermination(30, TimeUnit.SECONDS);
			loops.shutdownGracefully(0, 5, TimeUnit.SECONDS);
		}
	}

}
