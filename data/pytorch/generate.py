"""Writes the PyTorch fixtures rnn4j's import tests read (run from this folder with Debian's python3-torch 1.13:
/usr/bin/python3 generate.py). Each case is a recurrent module and a linear head, as a Python user would build it:
NAME.safetensors holds the model's state_dict (written with the safetensors format by hand: torch 1.13 has no
safetensors package), NAME.json its settings, an input batch and PyTorch's output on it."""
import json
import struct

import torch


class Model(torch.nn.Module):
    def __init__(self, cell, input_size, hidden, layers, bidirectional, outputs, every_step):
        super().__init__()
        kind = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}[cell]
        self.rnn = kind(input_size, hidden, num_layers=layers, bidirectional=bidirectional, batch_first=True)
        self.head = torch.nn.Linear(hidden * (2 if bidirectional else 1), outputs)
        self.every_step = every_step

    def forward(self, x):
        out, state = self.rnn(x)
        if self.every_step:
            return self.head(out)
        h_n = state[0] if isinstance(state, tuple) else state  # the LSTM's (h_n, c_n)
        # the last layer's final state in each direction (the forward one is out[:, -1]; the reverse one has read
        # the whole sequence backwards), which is what rnn4j's last-step head reads
        last = torch.cat([h_n[-2], h_n[-1]], dim=1) if self.rnn.bidirectional else h_n[-1]
        return self.head(last)


def save_safetensors(path, tensors):
    """The safetensors layout: u64 header length, JSON header, little-endian F32 data."""
    header, blobs, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for name, t in tensors.items():
        data = t.detach().contiguous().float().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


CASES = [
    ("lstm-1layer-last", "lstm", 3, 5, 1, False, 2, False),
    ("lstm-2layer-bidirectional-every", "lstm", 4, 6, 2, True, 3, True),
    ("gru-2layer-bidirectional-last", "gru", 3, 4, 2, True, 2, False),
    ("rnn-1layer-every", "rnn", 2, 7, 1, False, 1, True),
    ("gru-1layer-every", "gru", 3, 4, 1, False, 2, True),
    ("lstm-1layer-bidirectional-last", "lstm", 3, 4, 1, True, 2, False),
]


class WithState(Model):
    """The same model taking its initial state as inputs (what a streaming export looks like)."""

    def forward(self, x, h0, c0=None):
        out, _ = self.rnn(x, (h0, c0) if c0 is not None else h0)
        return self.head(out)


def state_inputs():
    """An LSTM and a GRU whose ONNX graphs take initial_h (and initial_c) as inputs; outputs with zero states."""
    for name, cell in (("lstm-2layer-state-inputs", "lstm"), ("gru-1layer-state-inputs", "gru")):
        layers = 2 if cell == "lstm" else 1
        model = WithState(cell, 3, 4, layers, False, 2, True)
        x = torch.randn(3, 5, 3)
        h0 = torch.zeros(layers, 3, 4)
        args = (x, h0, torch.zeros(layers, 3, 4)) if cell == "lstm" else (x, h0)
        names = ["x", "h0", "c0"] if cell == "lstm" else ["x", "h0"]
        with torch.no_grad():
            y = model(*args)
        torch.onnx.export(model, args, name + ".opset17.onnx", opset_version=17, input_names=names,
                          output_names=["y"], dynamic_axes={"x": {0: "n", 1: "t"}, "y": {0: "n", 1: "t"}})
        save_safetensors(name + ".safetensors", model.state_dict())
        with open(name + ".json", "w") as f:
            json.dump({"cell": cell, "input_size": 3, "hidden": 4, "layers": layers, "bidirectional": False,
                       "outputs": 2, "every_step": True, "input_shape": list(x.shape), "input": x.flatten().tolist(),
                       "output_shape": list(y.shape), "output": y.flatten().tolist(), "state_inputs": names[1:],
                       "torch": torch.__version__}, f)
        print(name, list(y.shape))


class Encoder(torch.nn.Module):
    """A recurrent module alone (no head): its output is every step's hidden states."""

    def __init__(self, cell, input_size, hidden, layers, bidirectional):
        super().__init__()
        kind = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}[cell]
        self.rnn = kind(input_size, hidden, num_layers=layers, bidirectional=bidirectional, batch_first=True)

    def forward(self, x):
        return self.rnn(x)[0]


def encoders():
    """A bidirectional GRU without a head: rnn4j imports it with an identity head (its outputs are the states)."""
    name = "gru-encoder-every"
    model = Encoder("gru", 3, 4, 1, True)
    x = torch.randn(3, 5, 3)
    with torch.no_grad():
        y = model(x)
    torch.onnx.export(model, x, name + ".opset17.onnx", opset_version=17, input_names=["x"], output_names=["y"],
                      dynamic_axes={"x": {0: "n", 1: "t"}, "y": {0: "n", 1: "t"}})
    save_safetensors(name + ".safetensors", model.state_dict())
    with open(name + ".json", "w") as f:
        json.dump({"cell": "gru", "input_size": 3, "hidden": 4, "layers": 1, "bidirectional": True, "outputs": 8,
                   "every_step": True, "head": "none", "input_shape": list(x.shape), "input": x.flatten().tolist(),
                   "output_shape": list(y.shape), "output": y.flatten().tolist(), "torch": torch.__version__}, f)
    print(name, list(y.shape))


class WithStateOutputs(Model):
    """The same model also returning its final states (h_n, c_n), as a streaming export does."""

    def forward(self, x):
        out, (h_n, c_n) = self.rnn(x)
        return self.head(out), h_n, c_n


def state_outputs():
    """A 2-layer bidirectional LSTM whose ONNX graph returns y, h_n and c_n."""
    name = "lstm-2layer-bidirectional-state-outputs"
    model = WithStateOutputs("lstm", 3, 4, 2, True, 2, True)
    x = torch.randn(3, 5, 3)
    with torch.no_grad():
        y, h_n, c_n = model(x)
    torch.onnx.export(model, x, name + ".opset17.onnx", opset_version=17, input_names=["x"],
                      output_names=["y", "h_n", "c_n"], dynamic_axes={"x": {0: "n", 1: "t"}, "y": {0: "n", 1: "t"},
                                                                   "h_n": {1: "n"}, "c_n": {1: "n"}})
    save_safetensors(name + ".safetensors", model.state_dict())
    with open(name + ".json", "w") as f:
        json.dump({"cell": "lstm", "input_size": 3, "hidden": 4, "layers": 2, "bidirectional": True, "outputs": 2,
                   "every_step": True, "input_shape": list(x.shape), "input": x.flatten().tolist(),
                   "output_shape": list(y.shape), "output": y.flatten().tolist(), "h_n": h_n.flatten().tolist(),
                   "c_n": c_n.flatten().tolist(), "torch": torch.__version__}, f)
    print(name, list(y.shape), list(h_n.shape))


def time_first():
    """An LSTM with batch_first=False: its ONNX graph reads [T, N, I] (the JSON keeps the input batch-first)."""
    name = "lstm-1layer-time-first-last"
    model = Model("lstm", 3, 4, 1, False, 2, False)
    model.rnn.batch_first = False
    x = torch.randn(5, 3, 3)  # [T, N, I]
    with torch.no_grad():
        y = model(x)
    torch.onnx.export(model, x, name + ".opset17.onnx", opset_version=17, input_names=["x"], output_names=["y"],
                      dynamic_axes={"x": {0: "t", 1: "n"}, "y": {0: "n"}})
    save_safetensors(name + ".safetensors", model.state_dict())
    xb = x.transpose(0, 1).contiguous()
    with open(name + ".json", "w") as f:
        json.dump({"cell": "lstm", "input_size": 3, "hidden": 4, "layers": 1, "bidirectional": False, "outputs": 2,
                   "every_step": False, "time_first": True, "input_shape": list(xb.shape),
                   "input": xb.flatten().tolist(), "output_shape": list(y.shape), "output": y.flatten().tolist(),
                   "torch": torch.__version__}, f)
    print(name, list(y.shape))


def main():
    torch.manual_seed(20261206)
    for name, cell, inputs, hidden, layers, bidirectional, outputs, every in CASES:
        model = Model(cell, inputs, hidden, layers, bidirectional, outputs, every)
        x = torch.randn(3, 5, inputs)
        with torch.no_grad():
            y = model(x)
        save_safetensors(name + ".safetensors", model.state_dict())
        for opset in (9, 17):  # the same model as torch.onnx.export writes it, batch and time dynamic
            torch.onnx.export(model, x, "%s.opset%d.onnx" % (name, opset), opset_version=opset, input_names=["x"],
                              output_names=["y"], dynamic_axes={"x": {0: "n", 1: "t"}, "y": {0: "n", 1: "t"} if every
                              else {0: "n"}})
        with open(name + ".json", "w") as f:
            json.dump({"cell": cell, "input_size": inputs, "hidden": hidden, "layers": layers,
                       "bidirectional": bidirectional, "outputs": outputs, "every_step": every,
                       "input_shape": list(x.shape), "input": x.flatten().tolist(),
                       "output_shape": list(y.shape), "output": y.flatten().tolist(),
                       "torch": torch.__version__}, f)
        print(name, list(y.shape))
    state_inputs()
    encoders()
    state_outputs()
    time_first()


if __name__ == "__main__":
    main()
