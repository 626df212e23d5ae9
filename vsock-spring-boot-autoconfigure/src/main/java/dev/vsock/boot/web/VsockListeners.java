package dev.vsock.boot.web;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;

import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;

/**
 * The vsock listeners of an application, and the {@code local.vsock.port} property that
 * publishes their ports once they listen, as Spring Boot does with {@code local.server.port}.
 */
public class VsockListeners {

	private static final String PROPERTY_SOURCE_NAME = "vsock.ports";

	private final List<VsockListener> listeners = new CopyOnWriteArrayList<>();

	private final @Nullable ConfigurableEnvironment environment;

	/**
	 * Creates a registry that publishes ports into the given environment.
	 * @param environment the environment to publish {@code local.vsock.port} to, or
	 * {@code null} to publish nothing
	 */
	public VsockListeners(@Nullable ConfigurableEnvironment environment) {
		this.environment = environment;
	}

	/**
	 * Adds a listener, once its server has created it.
	 * @param listener the listener
	 */
	public void add(VsockListener listener) {
		this.listeners.add(listener);
	}

	/**
	 * Removes a listener, once its server is gone for good.
	 * @param listener the listener
	 */
	public void remove(VsockListener listener) {
		this.listeners.remove(listener);
	}

	/**
	 * Publishes the port of a listener that has started listening as
	 * {@code local.vsock.port} (or {@code local.<server name>.vsock.port} for a server other
	 * than {@code server}).
	 * @param listener the listener that listens now
	 */
	public void listening(VsockListener listener) {
		if (this.environment == null) {
			return;
		}
		String property = "server".equals(listener.serverName()) ? "local.vsock.port"
				: "local." + listener.serverName() + ".vsock.port";
		ports(this.environment.getPropertySources()).put(property, listener.address().port());
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> ports(MutablePropertySources sources) {
		PropertySource<?> source = sources.get(PROPERTY_SOURCE_NAME);
		if (source == null) {
			source = new MapPropertySource(PROPERTY_SOURCE_NAME, new HashMap<>());
			sources.addFirst(source);
		}
		return (Map<String, Object>) source.getSource();
	}

	/**
	 * Returns every listener known now.
	 * @return the listeners, in the order they were added
	 */
	public List<VsockListener> all() {
		return List.copyOf(this.listeners);
	}

}
