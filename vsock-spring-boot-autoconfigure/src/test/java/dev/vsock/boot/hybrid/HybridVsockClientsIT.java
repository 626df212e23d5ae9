package dev.vsock.boot.hybrid;

/**
 * The hybrid vsock client tests once more inside the test guest, beside the other clients'
 * end-to-end tests. They involve Unix sockets only, so they run on the build machine too
 * ({@link HybridVsockClientsTest}).
 */
class HybridVsockClientsIT extends HybridVsockClientsTest {

}
