package dev.vsock.boot.autoconfigure.client;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import reactor.netty.http.client.HttpClient;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import dev.vsock.boot.client.VsockClientHttpConnector;
import dev.vsock.boot.client.VsockClientHttpRequestFactory;
import dev.vsock.boot.client.VsockClientSettings;
import dev.vsock.boot.netty.VsockChannelOption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.isA;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;

/**
 * The builders Spring Boot auto-configures learn {@code vsock://} URIs. The builders hide their
 * connector and request factory, so the customizers are applied to mocks.
 */
class VsockClientAutoConfigurationTest {

	private static final String TRUST_THE_TEST_CERTIFICATE = "spring.ssl.bundle.pem.vsock.truststore.certificate="
			+ "classpath:tls/server.crt";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, WebClientAutoConfiguration.class,
				RestClientAutoConfiguration.class, VsockClientAutoConfiguration.class));

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
	void timeoutsRetriesAndTheBufferSizeBindFromProperties() {
		this.runner
			.withPropertyValues("spring.vsock.client.connect-timeout=3s", "spring.vsock.client.response-timeout=1m",
					"spring.vsock.client.connect-retry.max-attempts=20",
					"spring.vsock.client.connect-retry.first-backoff=50ms", "spring.vsock.client.buffer-size=2MB",
					"spring.vsock.client.request-retry.max-attempts=4")
			.run((context) -> {
				assertThat(settings(context)).isEqualTo(new VsockClientSettings(Duration.ofSeconds(3),
						Duration.ofMinutes(1), 20, Duration.ofMillis(50), null, null, 2L * 1024 * 1024, 4));
				assertThat(settings(context).applyTo(HttpClient.create())
					.configuration()
					.options()
					.get(VsockChannelOption.BUFFER_SIZE)).as("the client's channels are given the buffer size")
					.isEqualTo(2L * 1024 * 1024);
			});
	}

	@Test
	void aBufferSizeThatIsNotPositiveFailsAtStartUpNamingTheProperty() {
		this.runner.withPropertyValues("spring.vsock.client.buffer-size=0B")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("Invalid spring.vsock.client.buffer-size 0B"));
	}

	@Test
	void noRetryNettysTimeoutsAndPlainHttpUnlessAskedFor() {
		this.runner.run((context) -> assertThat(settings(context)).isEqualTo(VsockClientSettings.defaults()));
	}

	@Test
	void anSslBundleByNameSwitchesTlsOnVerifyingTheChainOnly() {
		this.runner.withPropertyValues(TRUST_THE_TEST_CERTIFICATE, "spring.vsock.client.ssl.bundle=vsock")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				VsockClientSettings settings = settings(context);
				assertThat(settings.sslBundle()).isSameAs(context.getBean(SslBundles.class).getBundle("vsock"));
				assertThat(settings.serverName()).isNull();
			});
	}

	@Test
	void anExpectedServerNameIsCheckedAgainstTheCertificate() {
		this.runner
			.withPropertyValues(TRUST_THE_TEST_CERTIFICATE, "spring.vsock.client.ssl.bundle=vsock",
					"spring.vsock.client.ssl.server-name=vsock-test")
			.run((context) -> assertThat(settings(context).serverName()).isEqualTo("vsock-test"));
	}

	@Test
	void anUnknownSslBundleFailsAtStartUpNamingIt() {
		this.runner.withPropertyValues("spring.vsock.client.ssl.bundle=nope")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(NoSuchSslBundleException.class)
				.hasMessageContaining("'nope'"));
	}

	@Test
	void aServerNameWithoutAnSslBundleFailsAtStartUpSayingWhatIsMissing() {
		this.runner.withPropertyValues("spring.vsock.client.ssl.server-name=agent.internal")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessage("Invalid server name 'agent.internal' without an SSL bundle: the name is checked"
						+ " against the server's certificate, over TLS only. Give an SSL bundle too"
						+ " (spring.vsock.client.ssl.bundle), or no server name"));
	}

	@Test
	void aServerNameThatIsNoDnsNameFailsAtStartUp() {
		this.runner
			.withPropertyValues(TRUST_THE_TEST_CERTIFICATE, "spring.vsock.client.ssl.bundle=vsock",
					"spring.vsock.client.ssl.server-name=not a name")
			.run((context) -> assertThat(context).getFailure()
				.hasStackTraceContaining("Invalid server name 'not a name': expected the DNS name the server's"
						+ " certificate is for, for example agent.internal"));
	}

	@Test
	void startsWithoutSpringBootsSslBundles() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(VsockClientAutoConfiguration.class,
				WebClientAutoConfiguration.class, RestClientAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed().hasBean("vsockRestClientCustomizer"));
	}

	private static VsockClientSettings settings(AssertableApplicationContext context) {
		return context.getBean(VsockClientProperties.class).toSettings(context.getBean(SslBundles.class));
	}

	@Test
	void anInvalidNumberOfAttemptsFailsAtStartUpSayingWhatIsWrong() {
		this.runner.withPropertyValues("spring.vsock.client.connect-retry.max-attempts=0")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessage("Invalid number of connect attempts 0: 1 means no retry, more retry"));
		this.runner.withPropertyValues("spring.vsock.client.request-retry.max-attempts=0")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessage("Invalid number of request attempts 0: 1 means no retry, more send an idempotent"
						+ " request again after a reset"));
	}

}
