"""Receptive fields: which pixels of the photo one output of each layer can see."""
import streamlit as st

from convviz import ConvVizError, receptive_field
from convviz.nets import field_work, fields_under
from convviz.numbers import format_shape
from ui.common import keys
from ui.common.choice import choice
from ui.common.formula import show_formula
from ui.common.i18n import t
from ui.common.messages import show_error
from ui.common.photo import working_photo
from ui.receptive import fields as rv

st.title(t("receptive.title"))
st.caption(t("receptive.intro"))

stack_id = choice("selectbox", t("receptive.stack"), rv.STACK_OPTIONS, format_func=lambda s: t(f"receptive.stacks.{s}"),
                  key=keys.RF_STACK, on_change=rv.reset_position)
stack = rv.stack_of(stack_id)
if stack is None:
    st.info(t("receptive.table_missing"), icon=":material/info:")
    st.page_link("views/parameter_counts.py", label=t("receptive.open_params"), icon=":material/calculate:")
    st.stop()
layers, input_shape = stack
st.caption(t(f"receptive.about.{stack_id}", shape=format_shape(input_shape)))
try:
    rf = receptive_field(layers, input_shape)
except ConvVizError as err:
    show_error(err, prefix_key="receptive.error")
    st.stop()
if not rf.rows:
    st.info(t("receptive.empty"), icon=":material/info:")
    st.stop()
in_h, in_w = rf.input_shape[1:]

image, label, from_kernels = working_photo()
photo = rv.fitted_photo(rv.photo_key(image), (in_h, in_w), image)
image = None  # the page keeps nothing image-sized in its globals (DEVELOPERS.md)

left, right = st.columns([5, 4], gap="medium")
with left:
    row, col = rv.pixel_inputs(in_h, in_w)
    fields = fields_under(rf, row, col)
    drawn = rv.drawn_fields(rf, fields)
    rv.field_chart(photo, (in_h, in_w), row, col, drawn)
    st.caption(t("receptive.photo_kernels" if from_kernels else "receptive.photo_sample", name=label,
                 shape=format_shape((in_h, in_w))))
    st.page_link("views/image_kernels.py", label=t("receptive.change_photo"), icon=":material/photo_camera:")
with right:
    last = rf.last
    if last.mixes_all:
        st.info(t("receptive.whole", name=last.name), icon=":material/select_all:")
    else:
        st.metric(t("receptive.last_size", name=last.name), format_shape(last.size),
                  t("receptive.last_share", h=in_h, w=in_w), delta_color="gray", delta_arrow="off")
    st.markdown(t("receptive.how_to_read", row=row, col=col))
    st.info(t("receptive.erf"), icon=":material/blur_on:")

st.subheader(t("receptive.table_title"))
rv.field_table(rf, fields)
st.caption(t("receptive.table_help"))

st.subheader(t("receptive.formula_title"))
st.markdown(t("receptive.formula_intro"))
position = choice("selectbox", t("receptive.layer"), [r.position for r in rf.rows], default=rf.last.position,
                  format_func=lambda p: rf.row(p).name, key=keys.RF_LAYER)
for work in field_work(rf, position):
    axis = t(f"receptive.axis.{work.axis}")
    if work.kind == "window":
        for part in ("size", "jump", "start"):
            show_formula(t(f"receptive.formula.{part}", axis=axis), getattr(work, part))
    else:
        st.caption(t(f"receptive.kind.{work.kind}", axis=axis, name=rf.row(position).name))
st.caption(t("receptive.source"))
photo = None
