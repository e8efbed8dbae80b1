"""Qt item models: one per table, named columns, a sort role and a row role."""

from workstation.ui.models.bill_table_model import ROW_ROLE, SORT_ROLE, BillColumn, BillTableModel

__all__ = ["ROW_ROLE", "SORT_ROLE", "BillColumn", "BillTableModel"]
