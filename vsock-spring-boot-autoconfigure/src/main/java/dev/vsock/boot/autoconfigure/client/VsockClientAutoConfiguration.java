package dev.vsock.boot.autoconfigure.client;

import reactor.netty.http.client.HttpClient;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.ResourceLoader;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;

import dev.vsock.boot.client.VsockClientHttpConnector;
import dev.vsock.boot.client.VsockClientHttpRequestFactory;
import dev.vsock.boot.client.VsockClientSettings;

/**
 * Auto-configuration that lets the {@code WebClient.Builder} and {@code RestClient.Builder} beans
 * call {@code vsock://<cid>:<port>/path} URIs, every other URI going where Spring Boot sends it;
 * switched off with {@code spring.vsock.client.enabled=false}.
 */
@AutoConfiguration(after = SslAutoConfiguration.class,
		afterName = { "org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration",
				"org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration" })
@ConditionalOnClass(HttpClient.class)
@ConditionalOnBooleanProperty(name = "spring.vsock.client.enabled", matchIfMissing = true)
@EnableConfigurationProperties(VsockClientProperties.class)
public final class VsockClientAutoConfiguration {

	/**
	 * Returns the settings the properties describe, the SSL bundle looked up in Spring Boot's
	 * registry ({@code spring.ssl.bundle.*}).
	 */
	private static VsockClientSettings settings(VsockClientProperties properties,
			ObjectProvider<SslBundles> sslBundles) {
		return properties.toSettings(sslBundles.getIfAvailable(DefaultSslBundleRegistry::new));
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ WebClientCustomizer.class, ReactorClientHttpConnector.class })
	static class WebClientConfiguration {

		/**
		 * Wraps the connector Spring Boot installs (with its order 0 customizer) into one that also
		 * speaks vsock.
		 */
		@Bean
		@Order(1)
		WebClientCustomizer vsockWebClientCustomizer(ObjectProvider<ClientHttpConnector> connector,
				VsockClientProperties properties, ObjectProvider<SslBundles> sslBundles) {
			VsockClientSettings settings = settings(properties, sslBundles);
			return (builder) -> builder.clientConnector(
					new VsockClientHttpConnector(connector.getIfAvailable(ReactorClientHttpConnector::new), settings));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ RestClientCustomizer.class, ClientHttpRequestFactoryBuilder.class })
	static class RestClientConfiguration {

		/**
		 * Replaces the request factory Spring Boot installs with one that also speaks vsock and
		 * hands every other request to an equal factory, built as Spring Boot builds it.
		 */
		@Bean
		RestClientCustomizer vsockRestClientCustomizer(ResourceLoader resourceLoader,
				ObjectProvider<ClientHttpRequestFactoryBuilder<?>> requestFactoryBuilder,
				ObjectProvider<HttpClientSettings> settings, VsockClientProperties properties,
				ObjectProvider<SslBundles> sslBundles) {
			VsockClientSettings vsockSettings = settings(properties, sslBundles);
			return (builder) -> builder.requestFactory(new VsockClientHttpRequestFactory(requestFactoryBuilder
				.getIfAvailable(() -> ClientHttpRequestFactoryBuilder.detect(resourceLoader.getClassLoader()))
				.build(settings.getIfAvailable(HttpClientSettings::defaults)), vsockSettings));
		}

	}

}
