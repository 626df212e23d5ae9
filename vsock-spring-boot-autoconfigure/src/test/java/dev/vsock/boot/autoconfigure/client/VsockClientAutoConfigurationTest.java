package dev.vsock.boot.autoconfigure.client;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import dev.vsock.boot.client.VsockClientHttpConnector;
import dev.vsock.boot.client.VsockClientHttpRequestFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.isA;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;

/**
 * The builders Spring Boot auto-configures learn {@code vsock://} URIs. The builders hide their
 * connector and request factory, so the customizers are applied to mocks.
 */
class VsockClientAutoConfigurationTest {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WebClientAutoConfiguration.class, RestClientAutoConfiguration.class,
				VsockClientAutoConfiguration.class));

	@Test
	void theWebClientBuilderGetsTheVsockConnector() {
		this.runner.run((context) -> {
			WebClient.Builder builder = mock(WebClient.Builder.class);
			context.getBean("vsockWebClientCustomizer", WebClientCustomizer.class).customize(builder);
			then(builder).should().clientConnector(isA(VsockClientHttpConnector.class));
			assertThat(context).hasSingleBean(WebClient.Builder.class);
		});
	}

	@Test
	void theRestClientBuilderGetsTheVsockRequestFactory() {
		this.runner.run((context) -> {
			RestClient.Builder builder = mock(RestClient.Builder.class);
			context.getBean("vsockRestClientCustomizer", RestClientCustomizer.class).customize(builder);
			then(builder).should().requestFactory(isA(VsockClientHttpRequestFactory.class));
		});
	}

	@Test
	void aPropertySwitchesItOff() {
		this.runner.withPropertyValues("spring.vsock.client.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("vsockWebClientCustomizer")
				.doesNotHaveBean("vsockRestClientCustomizer"));
	}

}
