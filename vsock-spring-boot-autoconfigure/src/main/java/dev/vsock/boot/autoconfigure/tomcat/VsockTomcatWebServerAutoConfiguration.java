package dev.vsock.boot.autoconfigure.tomcat;

import java.util.List;

import jakarta.servlet.ServletRequest;
import org.apache.catalina.startup.Tomcat;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.autoconfigure.condition.SearchStrategy;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.tomcat.TomcatContextCustomizer;
import org.springframework.boot.tomcat.TomcatProtocolHandlerCustomizer;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.servlet.ServletWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import dev.vsock.boot.autoconfigure.web.ConditionalOnVsockWebServer;
import dev.vsock.boot.autoconfigure.web.VsockWebServerAutoConfiguration;
import dev.vsock.boot.servlet.VsockPeerMvcArgumentResolver;
import dev.vsock.boot.tomcat.VsockTomcatServletWebServerFactory;

/**
 * Auto-configuration that makes the Tomcat servlet web server listen on vsock when
 * {@code server.vsock.port} is set.
 */
@AutoConfiguration(before = TomcatServletWebServerAutoConfiguration.class,
		after = VsockWebServerAutoConfiguration.class)
@ConditionalOnClass({ ServletRequest.class, Tomcat.class, TomcatServletWebServerFactory.class })
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnVsockWebServer
public final class VsockTomcatWebServerAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(value = ServletWebServerFactory.class, search = SearchStrategy.CURRENT)
	VsockTomcatServletWebServerFactory vsockTomcatServletWebServerFactory(
			ObjectProvider<TomcatConnectorCustomizer> connectorCustomizers,
			ObjectProvider<TomcatContextCustomizer> contextCustomizers,
			ObjectProvider<TomcatProtocolHandlerCustomizer<?>> protocolHandlerCustomizers) {
		VsockTomcatServletWebServerFactory factory = new VsockTomcatServletWebServerFactory();
		factory.getConnectorCustomizers().addAll(connectorCustomizers.orderedStream().toList());
		factory.getContextCustomizers().addAll(contextCustomizers.orderedStream().toList());
		factory.getProtocolHandlerCustomizers().addAll(protocolHandlerCustomizers.orderedStream().toList());
		return factory;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(WebMvcConfigurer.class)
	static class VsockPeerArgumentConfiguration {

		@Bean
		WebMvcConfigurer vsockPeerArgumentResolverConfigurer() {
			return new WebMvcConfigurer() {

				@Override
				public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
					resolvers.add(new VsockPeerMvcArgumentResolver());
				}

			};
		}

	}

}
