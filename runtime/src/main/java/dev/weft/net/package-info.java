/**
 * Networking on the run's selector: TCP and Unix domain streams
 * ({@link dev.weft.net.SocketStream}, {@link dev.weft.net.TcpListener},
 * {@link dev.weft.net.UnixListener}), UDP ({@link dev.weft.net.UdpSocket}) and the
 * {@link dev.weft.net.Net} entry points (Trio's {@code open_tcp_stream},
 * {@code open_tcp_listeners}, {@code serve_listeners}, {@code serve_tcp}), with
 * {@link dev.weft.net.ConnectionHandler} serving any {@link dev.weft.stream.Listener}. Built only on
 * {@code dev.weft.lowlevel} ({@code waitReadable}, {@code waitWritable},
 * {@code notifyClosing}) and the public {@code dev.weft} API.
 */
package dev.weft.net;
