package dev.vsock.boot.transport;

import org.jspecify.annotations.Nullable;

/**
 * Whether one {@link VsockTransport} can carry traffic, by which driver, and why not when a
 * driver is there but unusable.
 *
 * @param available whether the transport can carry traffic
 * @param driver the driver that provides it ({@code virtio}, {@code vhost}, {@code vmci},
 * {@code hyperv}, {@code loopback}), or {@code null} when none is present
 * @param detail why a present driver is not usable, or {@code null}
 */
public record TransportStatus(boolean available, @Nullable String driver, @Nullable String detail) {

	static final TransportStatus ABSENT = new TransportStatus(false, null, null);

	static TransportStatus available(String driver) {
		return new TransportStatus(true, driver, null);
	}

	static TransportStatus unusable(String driver, String detail) {
		return new TransportStatus(false, driver, detail);
	}

}
