package dev.vsock.boot.autoconfigure.client;

import java.time.Duration;

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
import dev.vsock.boot.client.VsockClientSettings;

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

	@Test
	void timeoutsAndConnectRetriesBindFromProperties() {
		this.runner
			.withPropertyValues("spring.vsock.client.connect-timeout=3s", "spring.vsock.client.response-timeout=1m",
					"spring.vsock.client.connect-retry.max-attempts=20",
					"spring.vsock.client.connect-retry.first-backoff=50ms")
			.run((context) -> assertThat(context.getBean(VsockClientProperties.class).toSettings())
				.isEqualTo(new VsockClientSettings(Duration.ofSeconds(3), Duration.ofMinutes(1), 20,
						Duration.ofMillis(50))));
	}

	@Test
	void noRetryAndNettysTimeoutsUnlessAskedFor() {
		this.runner.run((context) -> assertThat(context.getBean(VsockClientProperties.class).toSettings())
			.isEqualTo(VsockClientSettings.defaults()));
	}

	@Test
	void anInvalidNumberOfAttemptsFailsAtStartUpSayingWhatIsWrong() {
		this.runner.withPropertyValues("spring.vsock.client.connect-retry.max-attempts=0")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessage("Invalid number of connect attempts 0: 1 means no retry, more retry"));
	}

}
