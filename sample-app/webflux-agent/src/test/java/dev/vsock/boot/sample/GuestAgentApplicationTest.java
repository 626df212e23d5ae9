package dev.vsock.boot.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.ApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.sample.grpc.StatusReply;
import dev.vsock.boot.sample.grpc.StatusRequest;
import dev.vsock.boot.sample.grpc.WatchRequest;
import dev.vsock.boot.web.LocalVsockPort;
import dev.vsock.boot.web.VsockListener;
import dev.vsock.boot.web.VsockListeners;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample guest agent, as configured in its application.yml (vsock only) but on a port the
 * kernel picks, on the build machine: its vsock listener is up, and its handlers answer through
 * the application context, without a network. {@link GuestAgentApplicationIT} calls it over vsock
 * in the test guest.
 */
@SpringBootTest(webEnvironment = WebEnvironment.DEFINED_PORT, properties = { "server.vsock.port=0", "management.server.port=0", "management.server.vsock.port=0",
		"spring.grpc.server.vsock.port=0" })
class GuestAgentApplicationTest {

	@LocalVsockPort
	long port;

	@Test
	void listensOnVsockForTheApplicationActuatorAndGrpcAdmittingOnlyTheHostAndThisMachine(
			@Autowired VsockListeners listeners) {
		assertThat(listeners.all()).extracting(VsockListener::serverName)
			.containsExactlyInAnyOrder("server", "management", "grpc");
		assertThat(listeners.all()).allSatisfy((listener) -> {
			assertThat(listener.isListening()).isTrue();
			assertThat(listener.admission().allowedCids().allows(VsockAddress.CID_HOST)).isTrue();
			assertThat(listener.admission().allowedCids().allows(VsockAddress.CID_LOCAL)).isTrue();
			assertThat(listener.admission().allowedCids().allows(3)).as("another guest").isFalse();
		});
		assertThat(listeners.all()).filteredOn((listener) -> listener.serverName().equals("server"))
			.singleElement()
			.satisfies((listener) -> assertThat(listener.address().port()).isEqualTo(this.port));
	}

	@Test
	void reportsItsStatusWithoutACallerCidWhenNotCalledOverVsock(@Autowired ApplicationContext context) {
		WebTestClient.bindToApplicationContext(context)
			.build()
			.get()
			.uri("/status")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.agent")
			.isEqualTo("up")
			.jsonPath("$.callerCid")
			.isEmpty();
	}

	@Test
	void streamsTheProgressOfATask(@Autowired ApplicationContext context) {
		WebTestClient client = WebTestClient.bindToApplicationContext(context)
			.configureClient()
			.responseTimeout(Duration.ofMinutes(1))
			.build();
		assertThat(client.post()
			.uri("/tasks/snapshot")
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(String.class)
			.getResponseBody()
			.collectList()
			.block(Duration.ofMinutes(1))).containsExactly("snapshot 25%", "snapshot 50%", "snapshot 75%",
					"snapshot 100%", "snapshot done, run 1");
		client.post().uri("/tasks/unknown").exchange().expectStatus().isNotFound();
	}

	@Test
	void theGrpcServiceAnswersWithoutACallerCidWhenNotCalledOverVsockAndBoundsItsStreams(
			@Autowired AgentGrpcService service) {
		List<StatusReply> replies = new ArrayList<>();
		service.status(StatusRequest.getDefaultInstance(), observer(replies::add, new ArrayList<>()));
		assertThat(replies).singleElement().satisfies((reply) -> {
			assertThat(reply.getAgent()).isEqualTo("up");
			assertThat(reply.getCallerCid()).isEqualTo(-1);
		});
		List<Throwable> errors = new ArrayList<>();
		service.watch(WatchRequest.newBuilder().setCount(1000).build(), observer((tick) -> {
		}, errors));
		assertThat(errors).singleElement()
			.satisfies((error) -> assertThat(Status.fromThrowable(error).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
	}

	private static <T> StreamObserver<T> observer(Consumer<T> values, List<Throwable> errors) {
		return new StreamObserver<>() {

			@Override
			public void onNext(T value) {
				values.accept(value);
			}

			@Override
			public void onError(Throwable error) {
				errors.add(error);
			}

			@Override
			public void onCompleted() {
			}

		};
	}

}
