package dev.vsock.boot.autoconfigure.web;

import java.util.Map;
import java.util.function.BooleanSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.Assert;
import org.springframework.util.function.SingletonSupplier;

import dev.vsock.boot.netty.VsockNative;

/**
 * The condition of {@link ConditionalOnVsockOrNoFallback}: asks the kernel for an AF_VSOCK
 * socket only when the fallback is switched on, once per JVM.
 */
class OnVsockOrNoFallbackCondition extends SpringBootCondition {

	private static final Log logger = LogFactory.getLog(OnVsockOrNoFallbackCondition.class);

	/** Whether this machine can open an AF_VSOCK socket, asked once; replaced by tests. */
	static BooleanSupplier availability = SingletonSupplier.of(VsockNative::isAvailable)::get;

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Map<String, Object> attributes = metadata.getAnnotationAttributes(ConditionalOnVsockOrNoFallback.class.getName());
		Assert.state(attributes != null, "No @ConditionalOnVsockOrNoFallback");
		Environment environment = context.getEnvironment();
		if (!environment.getProperty("server.vsock.fallback-to-tcp", Boolean.class, false)) {
			return ConditionOutcome.match("server.vsock.fallback-to-tcp is not set");
		}
		String tcpPortProperty = (String) attributes.get("tcpPort");
		int tcpPort = environment.getProperty(tcpPortProperty, Integer.class, (Integer) attributes.get("defaultTcpPort"));
		if (tcpPort < 0) {
			return ConditionOutcome.match(tcpPortProperty + " is -1: no TCP port to fall back to");
		}
		if (availability.getAsBoolean()) {
			return ConditionOutcome.match("this machine can open AF_VSOCK sockets");
		}
		logger.warn("This machine cannot open an AF_VSOCK socket and server.vsock.fallback-to-tcp is set: the server"
				+ " whose port is " + tcpPortProperty + " starts without its vsock listener and serves on TCP port "
				+ tcpPort + " only. Meant for development: without the fallback, the start-up fails");
		return ConditionOutcome.noMatch("no AF_VSOCK on this machine, falling back to TCP (" + tcpPortProperty + ")");
	}

}
