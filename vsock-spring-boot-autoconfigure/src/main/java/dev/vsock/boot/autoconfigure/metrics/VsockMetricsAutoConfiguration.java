package dev.vsock.boot.autoconfigure.metrics;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import dev.vsock.boot.autoconfigure.grpc.VsockGrpcServerAutoConfiguration;
import dev.vsock.boot.autoconfigure.web.VsockWebServerAutoConfiguration;
import dev.vsock.boot.metrics.VsockMetrics;
import dev.vsock.boot.metrics.VsockMetricsBinder;
import dev.vsock.boot.transport.VsockTransports;
import dev.vsock.boot.web.VsockListeners;

/**
 * Auto-configuration of the vsock meters, bound after the composite meter registry like Spring
 * Boot's Tomcat metrics.
 */
@AutoConfiguration(after = { VsockWebServerAutoConfiguration.class, VsockGrpcServerAutoConfiguration.class },
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ MeterRegistry.class, VsockListeners.class })
public final class VsockMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	VsockMetricsBinder vsockMetricsBinder(MeterRegistry registry, VsockListeners listeners) {
		return new VsockMetricsBinder(registry, new VsockMetrics(VsockTransports::detect, listeners));
	}

}
