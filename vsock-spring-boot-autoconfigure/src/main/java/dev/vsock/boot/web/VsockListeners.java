package dev.vsock.boot.web;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.vsock.boot.systemd.InheritedSockets;

/**
 * The vsock listeners of an application, every server's (the application's and a separate
 * management server's), for the health indicator, the metrics and the start-up summary. A server
 * adds its listener when it is created and removes it when it is destroyed.
 */
public class VsockListeners {

	private final List<VsockListener> listeners = new CopyOnWriteArrayList<>();

	private final InheritedSockets inheritedSockets;

	/**
	 * Creates a registry whose listeners bind their sockets.
	 */
	public VsockListeners() {
		this(InheritedSockets.none());
	}

	/**
	 * Creates a registry whose listeners serve on the sockets the service manager passed where
	 * one is there for them (socket activation), and bind the others.
	 * @param inheritedSockets the sockets the process inherited
	 */
	public VsockListeners(InheritedSockets inheritedSockets) {
		this.inheritedSockets = inheritedSockets;
	}

	/**
	 * Returns the sockets the process inherited from its service manager.
	 * @return the sockets, none when socket activation is off or nothing was passed
	 */
	public InheritedSockets inheritedSockets() {
		return this.inheritedSockets;
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
	 * Returns every listener known now.
	 * @return the listeners, in the order they were added
	 */
	public List<VsockListener> all() {
		return List.copyOf(this.listeners);
	}

}
