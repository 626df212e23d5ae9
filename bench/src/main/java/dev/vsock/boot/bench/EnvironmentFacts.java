package dev.vsock.boot.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.netty.util.Version;
import org.apache.catalina.util.ServerInfo;

import org.springframework.boot.SpringBootVersion;

/**
 * The facts a reader needs to weigh the figures: the JVM, the kernel and CPU it ran on, and the
 * versions of the servers and of Netty, read from the running code rather than from the build.
 */
final class EnvironmentFacts {

	private static final Pattern REACTOR_NETTY_JAR = Pattern.compile("reactor-netty-http-([^/:]+)\\.jar");

	private EnvironmentFacts() {
	}

	static Map<String, String> current() {
		Map<String, String> facts = new LinkedHashMap<>();
		facts.put("java", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
				+ System.getProperty("java.runtime.version"));
		facts.put("kernel", read("/proc/sys/kernel/osrelease"));
		facts.put("cpu", cpuModel());
		facts.put("cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
		facts.put("springBoot", SpringBootVersion.getVersion());
		facts.put("tomcat", ServerInfo.getServerNumber());
		Version netty = Version.identify().get("netty-transport-classes-epoll");
		facts.put("netty", (netty != null) ? netty.artifactVersion() : "unknown");
		Matcher jar = REACTOR_NETTY_JAR.matcher(System.getProperty("java.class.path"));
		facts.put("reactorNetty", jar.find() ? jar.group(1) : "unknown");
		facts.put("socatBacklog", Integer.toString(SocatRelay.BACKLOG));
		Integer compilerNice = CompilerThreads.nice();
		if (compilerNice != null) {
			facts.put("compilerNice", compilerNice.toString());
		}
		return facts;
	}

	private static String cpuModel() {
		try {
			return Files.readAllLines(Path.of("/proc/cpuinfo"))
				.stream()
				.filter((line) -> line.startsWith("model name"))
				.map((line) -> line.substring(line.indexOf(':') + 1).trim())
				.findFirst()
				.orElse("unknown");
		}
		catch (IOException ex) {
			return "unknown";
		}
	}

	private static String read(String file) {
		try {
			return Files.readString(Path.of(file)).trim();
		}
		catch (IOException ex) {
			return "unknown";
		}
	}

}
