package dev.vsock.boot.sample.mvc;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import dev.vsock.boot.VsockAddress;
import dev.vsock.boot.web.LocalVsockPort;
import dev.vsock.boot.web.VsockListener;
import dev.vsock.boot.web.VsockListeners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The sample file agent, as configured in its application.yml (vsock only, Tomcat) but on a port
 * the kernel picks, on the build machine: its vsock listener is up, and its controller stores and
 * returns a file through MockMvc, without a network, recording no sender CID (-1).
 * {@link FileAgentApplicationIT} calls it over vsock in the test guest.
 */
@SpringBootTest(webEnvironment = WebEnvironment.DEFINED_PORT, properties = { "server.vsock.port=0", "management.server.port=0", "management.server.vsock.port=0" })
class FileAgentApplicationTest {

	@LocalVsockPort
	long port;

	@Test
	void listensOnVsockOnTomcatForTheApplicationAndActuatorAdmittingOnlyTheHostAndThisMachine(
			@Autowired VsockListeners listeners) {
		assertThat(listeners.all()).extracting(VsockListener::serverName)
			.containsExactlyInAnyOrder("server", "management");
		assertThat(listeners.all()).allSatisfy((listener) -> {
			assertThat(listener.isListening()).isTrue();
			assertThat(listener.serverKind()).isEqualTo("tomcat");
			assertThat(listener.admission().allowedCids().allows(VsockAddress.CID_HOST)).isTrue();
			assertThat(listener.admission().allowedCids().allows(VsockAddress.CID_LOCAL)).isTrue();
			assertThat(listener.admission().allowedCids().allows(3)).as("another guest").isFalse();
		});
		assertThat(listeners.all()).filteredOn((listener) -> listener.serverName().equals("server"))
			.singleElement()
			.satisfies((listener) -> assertThat(listener.address().port()).isEqualTo(this.port));
	}

	@Test
	void storesAFileAndGivesItBack(@Autowired WebApplicationContext context) throws Exception {
		MockMvc agent = MockMvcBuilders.webAppContextSetup(context).build();
		byte[] file = "kernel command line\n".getBytes();
		agent.perform(put("/files/cmdline.txt").contentType(MediaType.APPLICATION_OCTET_STREAM).content(file))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.size").value(file.length));
		agent.perform(get("/files/cmdline.txt")).andExpect(status().isOk()).andExpect(content().bytes(file));
		agent.perform(get("/status"))
			.andExpect(jsonPath("$.files['cmdline.txt']").value(-1))
			.andExpect(jsonPath("$.callerCid").isEmpty());
		agent.perform(get("/files/{name}", "no such name!")).andExpect(status().isBadRequest());
	}

}
