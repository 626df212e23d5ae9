package dev.vsock.boot.sample.mvc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import dev.vsock.boot.VsockPeer;

/**
 * A file agent on Spring MVC and Tomcat, reachable over vsock only: the host puts files into the
 * guest and gets them back (configuration, images, logs), and the agent records which CID sent
 * each file.
 */
@SpringBootApplication
@RestController
public class FileAgentApplication {

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

	private final Path directory;

	private final Map<String, Long> senders = new LinkedHashMap<>();

	public FileAgentApplication() throws IOException {
		this.directory = Files.createTempDirectory("file-agent");
	}

	public static void main(String[] args) {
		SpringApplication.run(FileAgentApplication.class, args);
	}

	/**
	 * The agent's files and the caller as the kernel identified it.
	 */
	@GetMapping("/status")
	synchronized Map<String, Object> status(@Nullable VsockPeer caller) {
		Map<String, Object> status = new LinkedHashMap<>();
		status.put("agent", "up");
		status.put("files", Map.copyOf(this.senders));
		status.put("callerCid", (caller != null) ? caller.cid() : null);
		return status;
	}

	/**
	 * Stores a file, streamed to disk, and answers its size and SHA-256.
	 */
	@PutMapping("/files/{name}")
	Map<String, Object> put(@PathVariable String name, InputStream body, @Nullable VsockPeer caller)
			throws IOException, NoSuchAlgorithmException {
		MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
		long size;
		try (DigestInputStream in = new DigestInputStream(body, sha256)) {
			size = Files.copy(in, file(name), StandardCopyOption.REPLACE_EXISTING);
		}
		synchronized (this) {
			this.senders.put(name, (caller != null) ? caller.cid() : -1);
		}
		return Map.of("name", name, "size", size, "sha256", HexFormat.of().formatHex(sha256.digest()));
	}

	/**
	 * Sends a stored file back.
	 */
	@GetMapping("/files/{name}")
	ResponseEntity<Resource> get(@PathVariable String name) {
		Path file = file(name);
		if (!Files.isRegularFile(file)) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND, "No file '" + name + "'");
		}
		return ResponseEntity.ok(new FileSystemResource(file));
	}

	private Path file(String name) {
		if (!NAME.matcher(name).matches()) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"Invalid file name '" + name + "': expected 1 to 64 of A-Z a-z 0-9 . _ -");
		}
		return this.directory.resolve(name);
	}

}
