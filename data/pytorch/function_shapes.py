"""Trains a small PyTorch LSTM on rnn4j's function-shapes data until its test accuracy first reaches 70%, and saves it
for the fine-tuning test (rnn4j imports it and trains on): function-shapes-lstm.safetensors and .json. The data is
what `./rnn4j train --task function-shapes --seed 1` trains and tests on, dumped by rnn4j as text (one sequence a
line: length; inputs [x0, y0, x1, y1, ...]; a label per step) into train.txt and test.txt beside this script, which
are not kept. Run, in this folder, after `mvn install`:
  java -cp "$(cat ../../cli/target/launcher.classpath)" DumpFunctionShapes.java 1
  /usr/bin/python3 function_shapes.py"""
import json

import torch

from generate import Model, save_safetensors

torch.manual_seed(7)


def read(path):
    xs, ys = [], []
    for line in open(path):
        length, inputs, labels = line.strip().split(";")
        xs.append(torch.tensor(json.loads(inputs)).reshape(int(length), 2))
        ys.append(torch.tensor(json.loads(labels)))
    return torch.stack(xs), torch.stack(ys)


x, y = read("train.txt")
tx, ty = read("test.txt")
model = Model("lstm", 2, 16, 1, False, 3, True)
opt = torch.optim.Adam(model.parameters(), lr=0.001)
accuracy, step = 0.0, 0
while accuracy < 0.70:
    idx = torch.randint(0, x.shape[0], (32,))
    loss = torch.nn.functional.cross_entropy(model(x[idx]).reshape(-1, 3), y[idx].reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
    step += 1
    with torch.no_grad():
        accuracy = (model(tx).argmax(-1) == ty).float().mean().item()
save_safetensors("function-shapes-lstm.safetensors", model.state_dict())
with open("function-shapes-lstm.json", "w") as f:
    json.dump({"cell": "lstm", "input_size": 2, "hidden": 16, "layers": 1, "bidirectional": False, "outputs": 3,
               "every_step": True, "task": "function-shapes", "seed": 1, "steps": step,
               "test_accuracy": accuracy, "torch": torch.__version__}, f)
print("steps", step, "test accuracy", accuracy)
