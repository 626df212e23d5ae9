package dev.vsock.boot;

/**
 * Thrown at start-up when {@code server.vsock.port} (or {@code management.server.vsock.port}) is
 * set but the web server is not one that serves vsock, so that the setting is never ignored silently.
 */
public class VsockServerNotSupportedException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	private final String property;

	private final String factoryType;

	/**
	 * Creates the exception.
	 * @param property the property that asks for vsock, {@code server.vsock.port} or
	 * {@code management.server.vsock.port}
	 * @param factoryType the class name of the web server factory in use
	 */
	public VsockServerNotSupportedException(String property, String factoryType) {
		super(property + " is set, but the web server factory " + factoryType
				+ " does not serve vsock: vsock-spring-boot serves Spring MVC on Tomcat and WebFlux on Reactor Netty");
		this.property = property;
		this.factoryType = factoryType;
	}

	/**
	 * Returns the property that asks for vsock.
	 * @return the property name
	 */
	public String getProperty() {
		return this.property;
	}

	/**
	 * Returns the class name of the web server factory in use.
	 * @return the class name
	 */
	public String getFactoryType() {
		return this.factoryType;
	}

}
