package dev.vsock.boot.testsupport;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.grpc.BindableService;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;

import dev.vsock.boot.VsockPeer;
import dev.vsock.boot.grpc.VsockPeerServerInterceptor;

/**
 * A small gRPC service for tests, written without protoc: its messages are UTF-8 strings. It says
 * who called ({@code cid=<n>} or {@code cid=none}), echoes, counts, chats and waits, so that the
 * tests can prove unary and streaming calls, large messages, deadlines, cancellation and graceful
 * shutdown over vsock.
 */
public final class EchoGrpc implements BindableService {

	/** The service's name. */
	public static final String SERVICE = "vsock.test.Echo";

	/** Answers {@code cid=<caller's CID>|<request>}. */
	public static final MethodDescriptor<String, String> WHO = method("Who", MethodType.UNARY);

	/** Answers the request's length in bytes. */
	public static final MethodDescriptor<String, String> SIZE = method("Size", MethodType.UNARY);

	/** Answers {@code 1}, {@code 2}, ... up to the number asked for. */
	public static final MethodDescriptor<String, String> COUNT = method("Count", MethodType.SERVER_STREAMING);

	/** Answers each message with {@code echo:<message>}. */
	public static final MethodDescriptor<String, String> CHAT = method("Chat", MethodType.BIDI_STREAMING);

	/** Waits the number of milliseconds asked for, then answers {@code done}. */
	public static final MethodDescriptor<String, String> WAIT = method("Wait", MethodType.UNARY);

	private final Semaphore cancelled = new Semaphore(0);

	private final Semaphore waiting = new Semaphore(0);

	@Override
	public ServerServiceDefinition bindService() {
		return ServerServiceDefinition.builder(SERVICE)
			.addMethod(WHO, ServerCalls.asyncUnaryCall((request, answer) -> reply(answer, cid() + "|" + request)))
			.addMethod(SIZE, ServerCalls.asyncUnaryCall((request, answer) -> reply(answer,
					Integer.toString(request.getBytes(StandardCharsets.UTF_8).length))))
			.addMethod(COUNT, ServerCalls.asyncServerStreamingCall((request, answers) -> {
				for (int i = 1; i <= Integer.parseInt(request); i++) {
					answers.onNext(Integer.toString(i));
				}
				answers.onCompleted();
			}))
			.addMethod(CHAT, ServerCalls.asyncBidiStreamingCall((answers) -> new StreamObserver<String>() {

				@Override
				public void onNext(String message) {
					answers.onNext("echo:" + message);
				}

				@Override
				public void onError(Throwable error) {
				}

				@Override
				public void onCompleted() {
					answers.onCompleted();
				}

			}))
			.addMethod(WAIT, ServerCalls.asyncUnaryCall(this::waitThenReply))
			.build();
	}

	private void waitThenReply(String millis, StreamObserver<String> answer) {
		Context context = Context.current();
		CountDownLatch ended = new CountDownLatch(1);
		context.addListener((done) -> {
			// Cancelled with a cause: the client cancelled or its deadline passed; not a plain end.
			if (done.cancellationCause() != null) {
				this.cancelled.release();
			}
			ended.countDown();
		}, Runnable::run);
		this.waiting.release();
		try {
			ended.await(Long.parseLong(millis), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (!context.isCancelled()) {
			reply(answer, "done");
		}
	}

	/**
	 * Waits until one more {@link #WAIT} call has started on the server.
	 * @return whether one started within 60 seconds
	 * @throws InterruptedException if interrupted
	 */
	public boolean awaitWaiting() throws InterruptedException {
		return this.waiting.tryAcquire(60, TimeUnit.SECONDS);
	}

	/**
	 * Waits until the server has seen one more {@link #WAIT} call cancelled (or its deadline pass).
	 * @return whether it did within 60 seconds
	 * @throws InterruptedException if interrupted
	 */
	public boolean awaitCancelled() throws InterruptedException {
		return this.cancelled.tryAcquire(60, TimeUnit.SECONDS);
	}

	private static String cid() {
		VsockPeer peer = VsockPeerServerInterceptor.currentPeer();
		return (peer != null) ? "cid=" + peer.cid() : "cid=none";
	}

	private static void reply(StreamObserver<String> answer, String message) {
		answer.onNext(message);
		answer.onCompleted();
	}

	/**
	 * Calls a unary method.
	 * @param channel the channel
	 * @param options the call's options (deadline)
	 * @param method the method
	 * @param request the request
	 * @return the answer
	 */
	public static String call(Channel channel, CallOptions options, MethodDescriptor<String, String> method,
			String request) {
		return ClientCalls.blockingUnaryCall(channel, method, options, request);
	}

	/**
	 * Calls a unary method without a deadline.
	 * @param channel the channel
	 * @param method the method
	 * @param request the request
	 * @return the answer
	 */
	public static String call(Channel channel, MethodDescriptor<String, String> method, String request) {
		return call(channel, CallOptions.DEFAULT, method, request);
	}

	/**
	 * Calls the server-streaming {@link #COUNT}.
	 * @param channel the channel
	 * @param upTo how many answers to ask for
	 * @return the answers
	 */
	public static Iterator<String> count(Channel channel, int upTo) {
		return ClientCalls.blockingServerStreamingCall(channel, COUNT, CallOptions.DEFAULT, Integer.toString(upTo));
	}

	private static MethodDescriptor<String, String> method(String name, MethodType type) {
		return MethodDescriptor.<String, String>newBuilder()
			.setType(type)
			.setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, name))
			.setRequestMarshaller(Utf8.INSTANCE)
			.setResponseMarshaller(Utf8.INSTANCE)
			.build();
	}

	private enum Utf8 implements MethodDescriptor.Marshaller<String> {

		INSTANCE;

		@Override
		public InputStream stream(String value) {
			return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
		}

		@Override
		public String parse(InputStream stream) {
			try {
				return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	}

}
