package dev.vsock.boot.autoconfigure.reactor;

import reactor.netty.http.server.HttpServer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.reactor.netty.NettyRouteProvider;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.boot.reactor.netty.autoconfigure.NettyReactiveWebServerAutoConfiguration;
import org.springframework.boot.web.server.reactive.ReactiveWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.web.reactive.result.method.annotation.ArgumentResolverConfigurer;
import org.springframework.web.reactive.config.WebFluxConfigurer;

import dev.vsock.boot.autoconfigure.web.ConditionalOnVsockWebServer;
import dev.vsock.boot.autoconfigure.web.VsockWebServerAutoConfiguration;
import dev.vsock.boot.reactor.VsockNettyReactiveWebServerFactory;
import dev.vsock.boot.reactor.VsockPeerWebFluxArgumentResolver;
import dev.vsock.boot.reactor.VsockPeerWebFilter;

/**
 * Auto-configuration that makes the Reactor Netty web server listen on vsock when
 * {@code server.vsock.port} is set.
 */
@AutoConfiguration(before = NettyReactiveWebServerAutoConfiguration.class,
		after = VsockWebServerAutoConfiguration.class)
@ConditionalOnClass({ HttpServer.class, NettyReactiveWebServerFactory.class })
@ConditionalOnWebApplication(type = Type.REACTIVE)
@ConditionalOnVsockWebServer
public final class VsockReactiveWebServerAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(ReactiveWebServerFactory.class)
	VsockNettyReactiveWebServerFactory vsockNettyReactiveWebServerFactory(ReactorResourceFactory resourceFactory,
			ObjectProvider<NettyRouteProvider> routes, ObjectProvider<NettyServerCustomizer> serverCustomizers) {
		VsockNettyReactiveWebServerFactory factory = new VsockNettyReactiveWebServerFactory();
		factory.setResourceFactory(resourceFactory);
		routes.orderedStream().forEach(factory::addRouteProviders);
		factory.getServerCustomizers().addAll(serverCustomizers.orderedStream().toList());
		return factory;
	}

	@Bean
	@ConditionalOnMissingBean
	VsockPeerWebFilter vsockPeerWebFilter() {
		return new VsockPeerWebFilter();
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(WebFluxConfigurer.class)
	static class VsockPeerArgumentConfiguration {

		@Bean
		WebFluxConfigurer vsockPeerArgumentResolverConfigurer() {
			return new WebFluxConfigurer() {

				@Override
				public void configureArgumentResolvers(ArgumentResolverConfigurer configurer) {
					configurer.addCustomResolver(new VsockPeerWebFluxArgumentResolver());
				}

			};
		}

	}

}
