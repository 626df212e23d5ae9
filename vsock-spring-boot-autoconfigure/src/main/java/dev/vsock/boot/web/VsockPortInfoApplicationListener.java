package dev.vsock.boot.web;

import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.util.StringUtils;

/**
 * Publishes the port a web server's vsock listener bound as {@code local.vsock.port}, or
 * {@code local.<namespace>.vsock.port} for a server in a namespace of its own (the management
 * server: {@code local.management.vsock.port}), from the event Spring Boot sends when the server
 * starts, as Spring Boot's {@code ServerPortInfoApplicationContextInitializer} publishes
 * {@code local.server.port}. A bean of the application context: the management server's child
 * context sends its event there too.
 */
public class VsockPortInfoApplicationListener implements ApplicationListener<WebServerInitializedEvent> {

	private static final String PROPERTY_SOURCE_NAME = "vsock.ports";

	@Override
	public void onApplicationEvent(WebServerInitializedEvent event) {
		if (event.getWebServer() instanceof VsockListener listener && listener.isListening()) {
			setPortProperty(event.getApplicationContext(), propertyName(event.getApplicationContext()),
					listener.address().port());
		}
	}

	/**
	 * Returns the property that holds the vsock port of a server in the given context.
	 * @param context the server's context
	 * @return {@code local.vsock.port}, or {@code local.<namespace>.vsock.port}
	 */
	static String propertyName(WebServerApplicationContext context) {
		String namespace = context.getServerNamespace();
		return StringUtils.hasText(namespace) && !"server".equals(namespace) ? "local." + namespace + ".vsock.port"
				: "local.vsock.port";
	}

	private void setPortProperty(ApplicationContext context, String propertyName, long port) {
		if (context instanceof ConfigurableApplicationContext configurable) {
			setPortProperty(configurable.getEnvironment(), propertyName, port);
		}
		if (context.getParent() != null) {
			setPortProperty(context.getParent(), propertyName, port);
		}
	}

	/**
	 * Sets a port property in an environment, in a property source of this project's that comes
	 * first.
	 * @param environment the environment
	 * @param propertyName the property, for example {@code local.vsock.port}
	 * @param port the port
	 */
	@SuppressWarnings("unchecked")
	public static void setPortProperty(ConfigurableEnvironment environment, String propertyName, long port) {
		MutablePropertySources sources = environment.getPropertySources();
		PropertySource<?> source = sources.get(PROPERTY_SOURCE_NAME);
		if (source == null) {
			source = new MapPropertySource(PROPERTY_SOURCE_NAME, new HashMap<>());
			sources.addFirst(source);
		}
		((Map<String, Object>) source.getSource()).put(propertyName, port);
	}

}
