"""Live notifications: the relay client, ``HANDLER_MAP`` dispatch and the inbox (Qt-free).

- :mod:`.client` — :class:`~.client.RelayClient`: ``start()`` / ``stop()`` / ``status``; a
  daemon thread that receives from the relay, applies in seq order and reports through its
  ``on_event`` callback (on its own threads).
- :mod:`.events` — the frozen events (:class:`~.events.RelayConnected`,
  :class:`~.events.RelayDisconnected`, :class:`~.events.RelayGap`,
  :class:`~.events.ApplyDelayed`, :class:`~.events.MessagesApplied`), the client's
  :class:`~.events.ClientState`, and :func:`~.events.desktop_notices` (which bills and quotas
  deserve a tray notice).
- :mod:`.handlers` — ``HANDLER_MAP``: msg_method → handler (fetch from Alipay, then apply).
- :mod:`.inbox` — the apply transaction (effects + inbox rows + seq) and paged inbox reads for
  the 通知 tab.
- :mod:`.models` — the ``t_notification`` inbox table.

Nothing is imported here: :mod:`.models` is loaded by ``workstation.db.models``, and the client
pulls in websockets and the sync layer.
"""
